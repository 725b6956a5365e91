import pytest
import redis as redislib


def test_plain_skip():
    pytest.skip("just because")


@pytest.mark.xfail(reason="expected")
def test_xfail():
    assert False


def test_redis(redis_url):
    assert redislib.Redis.from_url(redis_url).ping()


@pytest.mark.redis
def test_redis_marker_only():
    pass


@pytest.mark.django_db(transaction=True)
def test_browser(page, browser_base_url):
    from django.contrib.auth import get_user_model
    get_user_model().objects.create_user("bob", password="x")
    page.goto(browser_base_url + "/static/vendor/chart.js-LICENSE.md")
    assert "MIT License" in page.content()
    page.set_content('<canvas id="c"></canvas><script src="%s/static/vendor/chart-4.6.1.umd.min.js"></script>' % browser_base_url)
    page.goto(browser_base_url + "/static/admin/css/base.css")
    page.set_content('<html><body><canvas id="c"></canvas></body></html>')
    page.add_script_tag(url=browser_base_url + "/static/vendor/chart-4.6.1.umd.min.js")
    assert page.evaluate("Chart.version") == "4.6.1"
    assert get_user_model().objects.filter(username="bob").exists()
