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
