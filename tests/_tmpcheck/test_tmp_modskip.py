import pytest
pytest.importorskip("no_such_module_xyz")
def test_never(): pass
