// Small enhancements; every page works without them. Loaded with `defer` from base.html: no inline script
// or event-handler attributes anywhere, so a strict Content-Security-Policy can forbid inline code.
(() => {
  "use strict";

  // After a posted form comes back with errors, start where the first one is (unless the server chose already).
  function focusFirstError() {
    if (document.querySelector("[autofocus]")) {
      return;
    }
    const invalid = document.querySelector("form[method='post'] .is-invalid, form[method='post'] [aria-invalid='true']");
    const field = invalid && (invalid.matches("input, select, textarea") ? invalid : invalid.querySelector("input, select, textarea"));
    const summary = document.querySelector("[data-form-errors]");
    const target = field || summary;
    if (target) {
      target.focus();
    }
  }

  // A filter box above a long list of options: checkboxes in groups, or one level select per skill.
  function addFilter(picker, index) {
    const items = Array.from(picker.querySelectorAll("[data-picker-item]"));
    if (items.length < 8) {
      return;
    }
    const box = document.createElement("div");
    box.className = "picker-filter mb-2";
    const label = document.createElement("label");
    label.className = "form-label small mb-1";
    label.htmlFor = `picker-filter-${index}`;
    label.textContent = `Filter ${picker.dataset.picker.toLowerCase()}`;
    const input = document.createElement("input");
    input.type = "search";
    input.id = label.htmlFor;
    input.className = "form-control form-control-sm";
    input.autocomplete = "off";
    const status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    box.append(label, input, status);
    // In a fieldset the legend stays first: the box goes just above the options.
    picker.insertBefore(box, picker.querySelector(":scope > .picker-options") || picker.firstChild);

    // Enter in the filter box must not send the whole form.
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
    input.addEventListener("input", () => {
      const words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      let shown = 0;
      for (const item of items) {
        const name = (item.querySelector("label") || item).textContent.toLowerCase();
        item.hidden = !words.every((word) => name.includes(word));
        shown += item.hidden ? 0 : 1;
      }
      for (const group of picker.querySelectorAll("[data-picker-group]")) {
        const visible = group.querySelector("[data-picker-item]:not([hidden])");
        group.hidden = !visible;
        if (words.length && visible && group.tagName === "DETAILS") {
          group.open = true;
        }
      }
      status.textContent = words.length ? `${shown} of ${items.length} shown` : "";
    });
  }

  document.querySelectorAll("[data-picker]").forEach(addFilter);
  focusFirstError();
})();
