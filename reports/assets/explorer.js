/* The problems explorer (problems.qmd): every problem of the corpus, filtered by province, genre, status and
 * theme and searched by text, shown one page of rows at a time.
 *
 * Self-written, no library, nothing loaded from the network. The data is window.PROBLEMS_EXPLORER, set by
 * data/problems.js (written by `notices notebooks`, see analysis/site/explorer.py): columns of equal length,
 * repeated values stored once. Every value taken from the data reaches the page through textContent or a
 * DOM property, never parsed as HTML, so markup in a notice shows as text.
 *
 * The filtering (prepare, filterRows, rowView) is pure and runs under Node for the tests
 * (tests/site/test_explorer.py); the rest wires it to the page.
 */
(function (root) {
  "use strict";

  var PAGE_SIZE = 50;
  var FILTERS = ["province", "genre", "status", "theme"];

  /* Lower-cased search texts, computed once: per notice (title, id, place) and per problem (title, path). */
  function prepare(data) {
    var notices = data.notices, columns = data.columns;
    var noticeText = [], problemText = [];
    for (var i = 0; i < notices.id.length; i++) {
      noticeText.push([notices.title[i], notices.id[i], notices.place[i]].join(" ").toLowerCase());
    }
    for (var r = 0; r < data.rows; r++) {
      problemText.push((columns.title[r] + " " + columns.path[r]).toLowerCase());
    }
    return { data: data, noticeText: noticeText, problemText: problemText };
  }

  /* Indexes of the rows that pass every criterion. criteria: province, genre, status, theme (an index into
   * data.values, or -1 for all) and text (a row passes when its problem or its notice contains it, any case). */
  function filterRows(index, criteria) {
    var data = index.data, notices = data.notices, columns = data.columns;
    var text = String(criteria.text || "").trim().toLowerCase();
    var noticeOk = [], noticeMatches = [];
    for (var i = 0; i < notices.id.length; i++) {
      noticeOk.push((criteria.province < 0 || notices.province[i] === criteria.province) &&
                    (criteria.genre < 0 || notices.genre[i] === criteria.genre));
      noticeMatches.push(text === "" || index.noticeText[i].indexOf(text) >= 0);
    }
    var out = [];
    for (var r = 0; r < data.rows; r++) {
      var n = columns.notice[r];
      if (!noticeOk[n]) continue;
      if (criteria.status >= 0 && columns.status[r] !== criteria.status) continue;
      if (criteria.theme >= 0 && columns.themes[r].indexOf(criteria.theme) < 0) continue;
      if (!noticeMatches[n] && index.problemText[r].indexOf(text) < 0) continue;
      out.push(r);
    }
    return out;
  }

  function words(value) {
    return value === null || value === undefined ? "—" : String(value).replace(/_/g, " ");
  }

  /* One row as the table shows it (plain strings; the page inserts them as text). */
  function rowView(data, r) {
    var notices = data.notices, columns = data.columns, values = data.values, n = columns.notice[r];
    var themes = [];
    for (var t = 0; t < columns.themes[r].length; t++) themes.push(words(values.theme[columns.themes[r][t]]));
    return {
      noticeId: notices.id[n],
      notice: notices.title[n],
      href: "notices/" + encodeURIComponent(notices.id[n]) + ".html",
      place: notices.place[n] || "—",
      genre: words(notices.genre[n] === null ? null : values.genre[notices.genre[n]]),
      path: columns.path[r],
      problem: columns.title[r],
      status: words(values.status[columns.status[r]]),
      themes: themes.join(", "),
      measures: String(columns.measures[r])
    };
  }

  /* ------------------------------------------------------------------ the page */

  function cell(tr, text) {
    var td = document.createElement("td");
    td.textContent = text;
    tr.appendChild(td);
    return td;
  }

  function fillSelect(select, names) {
    for (var i = 0; i < names.length; i++) {
      var option = document.createElement("option");
      option.value = String(i);
      option.textContent = words(names[i]);
      select.appendChild(option);
    }
  }

  function start(container, data) {
    var index = prepare(data);
    var selects = {}, page = 0, rows = [];
    var text = container.querySelector("[data-filter=text]");
    var body = container.querySelector("tbody");
    var count = container.querySelector("[data-explorer=count]");
    var prev = container.querySelector("[data-page=prev]");
    var next = container.querySelector("[data-page=next]");
    var timer = null;

    function criteria() {
      var c = { text: text.value };
      FILTERS.forEach(function (name) {
        c[name] = selects[name].value === "" ? -1 : Number(selects[name].value);
      });
      return c;
    }

    function show() {
      body.textContent = "";
      var first = page * PAGE_SIZE, last = Math.min(rows.length, first + PAGE_SIZE);
      for (var i = first; i < last; i++) {
        var view = rowView(data, rows[i]);
        var tr = document.createElement("tr");
        var link = document.createElement("a");
        link.href = view.href;
        link.textContent = view.notice;
        link.title = view.noticeId;
        cell(tr, "").appendChild(link);
        cell(tr, view.place);
        cell(tr, view.genre);
        cell(tr, view.path);
        cell(tr, view.problem);
        cell(tr, view.status);
        cell(tr, view.themes);
        cell(tr, view.measures).className = "text-end";
        body.appendChild(tr);
      }
      count.textContent = rows.length === 0 ? "No problem matches." :
        "Problems " + (first + 1).toLocaleString() + "–" + last.toLocaleString() + " of " +
        rows.length.toLocaleString() + " matching (" + data.rows.toLocaleString() + " in the corpus).";
      prev.disabled = page === 0;
      next.disabled = last >= rows.length;
    }

    function update() {
      rows = filterRows(index, criteria());
      page = 0;
      show();
    }

    FILTERS.forEach(function (name) {
      selects[name] = container.querySelector("[data-filter=" + name + "]");
      fillSelect(selects[name], data.values[name]);
      selects[name].addEventListener("change", update);
    });
    text.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(update, 150);
    });
    prev.addEventListener("click", function () { page = Math.max(0, page - 1); show(); });
    next.addEventListener("click", function () { page += 1; show(); });
    container.querySelector("form").addEventListener("submit", function (event) { event.preventDefault(); });
    update();
  }

  var api = { PAGE_SIZE: PAGE_SIZE, prepare: prepare, filterRows: filterRows, rowView: rowView };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
    return;
  }
  root.ProblemsExplorer = api;

  function boot() {
    var container = document.getElementById("problems-explorer");
    if (!container) return;
    if (!root.PROBLEMS_EXPLORER) {
      container.querySelector("[data-explorer=count]").textContent =
        "The problems' data (data/problems.js) is missing: run `notices notebooks`, then render the site.";
      return;
    }
    start(container, root.PROBLEMS_EXPLORER);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})(this);
