// The schedule board: drag a card (or its bottom edge) with the pointer, or select it and move
// it with the keys; either way the card's own form is submitted, which htmx turns into one
// request returning the updated card. Without this script each card is a link to a form.
(function () {
  "use strict";

  var STEP = 5 * 60 * 1000; // the board's 5-minute rows, in wall-clock milliseconds
  var HEADER_ROWS = 1;
  var selected = null; // the card being moved by keys
  var drag = null; // {card, mode, x, y, moved}
  var refocus = null; // the id of the card to focus once htmx has swapped it

  function grid() { return document.getElementById("board-grid"); }
  function status(text) { var el = document.getElementById("board-status"); if (el) { el.textContent = text; } }

  // Wall-clock arithmetic on "YYYY-MM-DDTHH:MM" strings, in UTC so the browser's own timezone
  // never applies: the server turns the conference's wall clock into instants.
  function ms(text) { return Date.UTC(+text.slice(0, 4), +text.slice(5, 7) - 1, +text.slice(8, 10), +text.slice(11, 13), +text.slice(14, 16)); }
  function text(value) { return new Date(value).toISOString().slice(0, 16); }
  function field(card, name) { return card.querySelector("input[name='" + name + "']"); }

  function stages() { return Array.prototype.slice.call(grid().querySelectorAll(".board-stage")); }
  function stageName(id) {
    var header = grid().querySelector(".board-stage[data-stage='" + id + "']");
    return header ? header.firstChild.textContent.trim() : "every stage";
  }

  function setClass(card, prefix, value) {
    card.className = card.className.split(" ").filter(function (name) {
      return !new RegExp("^" + prefix + "\\d+$").test(name);
    }).join(" ") + " " + prefix + value;
  }

  // Show the card at start/end on the stage, and put those in its form.
  function show(card, start, end, stage) {
    var first = ms(grid().dataset.first);
    var rows = +grid().dataset.rows;
    var row = Math.round((start - first) / STEP);
    var span = Math.max(1, Math.round((end - start) / STEP));
    if (row < 0 || row + span > rows) { return false; }
    if (card.classList.contains("in-tray")) {
      card.classList.remove("in-tray");
      grid().appendChild(card);
    }
    setClass(card, "r", HEADER_ROWS + 1 + row);
    setClass(card, "s", span);
    if (stage !== "") {
      var header = grid().querySelector(".board-stage[data-stage='" + stage + "']");
      setClass(card, "c", stages().indexOf(header) + 2);
    }
    field(card, "start").value = text(start);
    field(card, "end").value = text(end);
    field(card, "stage").value = stage;
    card.querySelector(".board-card-time").textContent = text(start).slice(11) + "–" + text(end).slice(11);
    return true;
  }

  function where(card) {
    return {
      start: ms(field(card, "start").value),
      end: ms(field(card, "end").value),
      stage: field(card, "stage").value,
    };
  }

  function describe(card) {
    var at = where(card);
    return card.querySelector(".board-card-face strong").textContent + ", " + text(at.start).slice(11) +
      "–" + text(at.end).slice(11) + ", " + stageName(at.stage);
  }

  function changed(card) {
    return field(card, "start").value !== card.dataset.start || field(card, "end").value !== card.dataset.end ||
      field(card, "stage").value !== card.dataset.stage || ("tray" in card.dataset && !card.classList.contains("in-tray"));
  }

  function select(card) {
    if (selected && selected !== card) { cancel(selected); }
    selected = card;
    card.classList.add("selected");
    if (card.classList.contains("in-tray")) {
      // From the tray onto the first stage at the top of the board, keeping its length.
      var at = where(card);
      var first = ms(grid().dataset.first);
      show(card, first, first + (at.end - at.start), stages()[0].dataset.stage);
      card.querySelector(".board-card-face").focus();
    }
    status("Selected " + describe(card) + ". Arrow keys move it, Shift with up or down changes its end, Enter saves, Escape cancels.");
  }

  function cancel(card) {
    card.classList.remove("selected", "dragging");
    if (selected === card) { selected = null; }
    if (!changed(card)) { return; }
    field(card, "start").value = card.dataset.start;
    field(card, "end").value = card.dataset.end;
    field(card, "stage").value = card.dataset.stage;
    if ("tray" in card.dataset) {
      ["r", "s", "c"].forEach(function (prefix) { setClass(card, prefix, ""); });
      card.classList.add("in-tray");
      document.getElementById("board-tray").appendChild(card);
    } else {
      show(card, ms(card.dataset.start), ms(card.dataset.end), card.dataset.stage);
    }
    status("Move cancelled: " + describe(card) + ".");
  }

  function save(card) {
    card.classList.remove("selected", "dragging");
    selected = null;
    if (!changed(card)) { status("Not moved: " + describe(card) + "."); return; }
    refocus = card.id;
    status("Saving " + describe(card) + "…");
    card.requestSubmit();
  }

  function nudge(card, key, shift) {
    var at = where(card);
    var stageIds = stages().map(function (header) { return header.dataset.stage; });
    var index = stageIds.indexOf(at.stage);
    if (key === "ArrowUp" || key === "ArrowDown") {
      var step = key === "ArrowUp" ? -STEP : STEP;
      if (shift) {
        if (at.end + step > at.start) { show(card, at.start, at.end + step, at.stage); }
      } else {
        show(card, at.start + step, at.end + step, at.stage);
      }
    } else if (index >= 0) {
      index = Math.min(stageIds.length - 1, Math.max(0, index + (key === "ArrowLeft" ? -1 : 1)));
      show(card, at.start, at.end, stageIds[index]);
    }
    status(describe(card));
  }

  document.addEventListener("click", function (event) {
    var face = event.target.closest(".board-card-face");
    if (!face) { return; }
    event.preventDefault();
    var card = face.closest(".board-card");
    if (drag && drag.moved) { return; }
    if (selected === card) { save(card); } else { select(card); }
  });

  document.addEventListener("keydown", function (event) {
    if (!selected) { return; }
    if (event.key === "Escape") { event.preventDefault(); cancel(selected); return; }
    if (["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"].indexOf(event.key) >= 0) {
      event.preventDefault();
      nudge(selected, event.key, event.shiftKey);
    }
  });

  // Pointer: the row and stage under the pointer, from the headers' and rows' geometry.
  function cellAt(x, y) {
    var headers = stages();
    // The headers stick to the top while the board scrolls: measure from the grid's own top.
    var top = grid().getBoundingClientRect().top + headers[0].getBoundingClientRect().height;
    var rowHeight = parseFloat(getComputedStyle(grid()).gridAutoRows);
    var stage = null;
    headers.forEach(function (header) {
      var box = header.getBoundingClientRect();
      if (x >= box.left && x < box.right) { stage = header.dataset.stage; }
    });
    return { row: Math.floor((y - top) / rowHeight), stage: stage };
  }

  document.addEventListener("pointerdown", function (event) {
    if (event.button !== 0 || !grid()) { return; }
    var handle = event.target.closest(".board-card-resize, .board-card-face");
    if (!handle) { return; }
    var card = handle.closest(".board-card");
    drag = { card: card, mode: handle.classList.contains("board-card-resize") ? "resize" : "move", x: event.clientX, y: event.clientY, moved: false };
    var at = where(card);
    var grab = cellAt(event.clientX, event.clientY);
    var first = ms(grid().dataset.first);
    drag.offset = card.classList.contains("in-tray") ? 0 : grab.row - Math.round((at.start - first) / STEP);
    drag.length = at.end - at.start;
  });

  // A card's face is a link: the browser's own link dragging would take the pointer away.
  document.addEventListener("dragstart", function (event) {
    if (event.target.closest && event.target.closest(".board-card")) { event.preventDefault(); }
  });

  document.addEventListener("pointermove", function (event) {
    if (!drag) { return; }
    if (!drag.moved && Math.abs(event.clientX - drag.x) + Math.abs(event.clientY - drag.y) < 6) { return; }
    if (!drag.moved) {
      drag.moved = true;
      if (selected && selected !== drag.card) { cancel(selected); }
      drag.card.classList.add("dragging");
    }
    var cell = cellAt(event.clientX, event.clientY);
    var first = ms(grid().dataset.first);
    var at = where(drag.card);
    if (drag.mode === "resize") {
      var end = first + (cell.row + 1) * STEP;
      if (end > at.start) { show(drag.card, at.start, end, at.stage); }
    } else {
      var isBreak = drag.card.dataset.stage === "" && !("tray" in drag.card.dataset);
      var start = first + (cell.row - drag.offset) * STEP;
      if (isBreak) { show(drag.card, start, start + drag.length, ""); } else if (cell.stage !== null) { show(drag.card, start, start + drag.length, cell.stage); }
    }
  });

  document.addEventListener("pointerup", function () {
    if (!drag) { return; }
    var done = drag;
    if (done.moved) {
      save(done.card);
      // The click that follows a drag must not select the card.
      setTimeout(function () { drag = null; }, 0);
    } else {
      drag = null;
    }
  });

  document.body.addEventListener("htmx:afterSettle", function () {
    if (!refocus) { return; }
    var card = document.getElementById(refocus);
    refocus = null;
    if (card) { card.querySelector(".board-card-face").focus(); }
  });
})();
