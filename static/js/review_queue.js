// The review queue from the keyboard: one key per judgement, Enter saves, the keys are listed on
// the page. Keys act only outside text fields (Esc leaves one), so typing a note never scores.
(function () {
  "use strict";
  const form = document.getElementById("queue-score");
  if (!form) return;
  const skip = document.getElementById("queue-skip");
  const byName = (name) => form.querySelector(`[name="${name}"]:not([type="hidden"])`);
  const outcomes = { s: "sent_as_is", e: "minor_edit", r: "major_rewrite", d: "discarded" };
  const fails = { a: "accuracy", t: "tone", c: "completeness" };
  const toggles = { h: "should_have_gone_to_human", p: "complaint", l: "log_error" };
  const typing = (el) =>
    el && (el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && !["checkbox", "radio"].includes(el.type)));

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.key === "Escape" && typing(target)) {
      target.blur();
      return;
    }
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      (skip && skip.contains(target) ? skip : form).requestSubmit();
      return;
    }
    if (typing(target) || event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key.toLowerCase();
    if (key === "enter") {
      event.preventDefault();
      form.requestSubmit();
    } else if (outcomes[key]) {
      event.preventDefault();
      byName("outcome").value = outcomes[key];
    } else if (fails[key]) {
      event.preventDefault();
      const box = byName(`${fails[key]}_ok`);
      box.checked = !box.checked;
      if (!box.checked) byName(`${fails[key]}_note`).focus();
    } else if (toggles[key]) {
      event.preventDefault();
      const box = byName(toggles[key]);
      box.checked = !box.checked;
      if (key === "l" && box.checked) byName("what_went_wrong").focus();
    } else if (key === "n") {
      event.preventDefault();
      byName("note").focus();
    } else if (key === "k" && skip) {
      event.preventDefault();
      skip.querySelector('[name="skip_reason"]').focus();
    }
  });
})();
