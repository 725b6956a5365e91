// List inputs on the one page: add and remove rows in place, no round trip.
document.addEventListener("click", (event) => {
  const add = event.target.closest("[data-add-row]");
  if (add) {
    const list = add.closest("[data-list-input]");
    const rows = list.querySelector(".list-rows");
    const row = document.createElement("li");
    row.className = "list-row";
    row.innerHTML = '<input type="text" maxlength="300" placeholder="Add one…"><button type="button" class="link remove" data-remove-row aria-label="Remove">Remove</button>';
    row.querySelector("input").name = list.dataset.name;
    if (list.dataset.suggestions) row.querySelector("input").setAttribute("list", list.dataset.suggestions);
    rows.appendChild(row);
    row.querySelector("input").focus();
    return;
  }
  const remove = event.target.closest("[data-remove-row]");
  if (remove) {
    const row = remove.closest(".list-row");
    const rows = row.parentElement;
    if (rows.children.length > 1) row.remove();
    else row.querySelector("input").value = "";
  }
});

// Enter in a list row adds the next row (or moves to the empty one below) instead of submitting;
// Enter in an empty last row submits the form with its default button, as in any other field.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Enter" || event.isComposing || event.shiftKey || event.ctrlKey || event.altKey || event.metaKey) return;
  const input = event.target.closest("[data-list-input] .list-row input");
  if (!input) return;
  const row = input.closest(".list-row");
  const next = row.nextElementSibling;
  if (!input.value.trim() && !next) return; // the form's default button takes it
  event.preventDefault();
  if (next) {
    next.querySelector("input").focus();
    return;
  }
  input.closest("[data-list-input]").querySelector("[data-add-row]").click();
});

// People pickers: typing in the search box narrows the names shown; Enter picks the first match.
function pickerMatches(picker, query) {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const matches = (text) => words.every((word) => text.toLowerCase().includes(word));
  const select = picker.querySelector("select");
  if (select) {
    return Array.from(select.options).filter((option) => {
      const shown = !option.value || !words.length || matches(option.textContent);
      option.hidden = !shown;
      return shown && option.value;
    });
  }
  return Array.from(picker.querySelectorAll(".people-options label")).filter((label) => {
    const shown = !words.length || matches(label.textContent);
    (label.closest(".people-options > div > div") || label).hidden = !shown;
    return shown;
  });
}

document.addEventListener("input", (event) => {
  const search = event.target.closest("[data-people-search]");
  if (!search) return;
  const picker = search.closest("[data-people-picker]");
  const shown = pickerMatches(picker, search.value);
  const select = picker.querySelector("select");
  if (select && shown.length === 1) select.value = shown[0].value;
});

document.addEventListener("keydown", (event) => {
  if (event.key !== "Enter") return;
  const search = event.target.closest("[data-people-search]");
  if (!search) return;
  event.preventDefault(); // picking a name never submits the form
  const picker = search.closest("[data-people-picker]");
  const [first] = pickerMatches(picker, search.value);
  if (!first) return;
  const select = picker.querySelector("select");
  if (select) select.value = first.value;
  else {
    const box = first.querySelector("input");
    box.checked = !box.checked;
  }
});
