// Intake helpers; the form works without them (the 查重 button does the lookup on the server).
(function () {
  "use strict";
  var form = document.getElementById("intake");
  if (!form) return;

  // Grids: show only those of the chosen village.
  var village = document.getElementById("division_code");
  var grid = document.getElementById("grid_id");
  function filterGrids() {
    if (!village || !grid) return;
    var v = village.value;
    Array.prototype.forEach.call(grid.options, function (o) {
      var own = o.getAttribute("data-village");
      o.hidden = !!own && !!v && own !== v;
    });
    var sel = grid.options[grid.selectedIndex];
    if (sel && sel.hidden) grid.value = "";
  }
  if (village) village.addEventListener("change", filterGrids);
  filterGrids();

  // More party rows.
  var add = document.getElementById("add-party");
  var tpl = document.getElementById("party-template");
  var list = document.getElementById("parties");
  if (add && tpl && list && tpl.content) {
    add.hidden = false;
    add.addEventListener("click", function () {
      var n = list.querySelectorAll("fieldset.party").length;
      if (n >= 20) return;
      var node = tpl.content.firstElementChild.cloneNode(true);
      node.querySelector("legend").textContent = "当事人" + (n + 1);
      node.querySelectorAll("[data-name]").forEach(function (el) {
        el.name = "parties[" + n + "]." + el.getAttribute("data-name");
      });
      list.appendChild(node);
      watchKeys(node);
      var first = node.querySelector("input");
      if (first) first.focus();
    });
  }

  // Other matters of the same person, looked up as soon as an ID number or phone is typed.
  var box = document.getElementById("same-person");
  var token = form.querySelector("input[name=_csrf]");
  var timer = null;
  function lookup() {
    if (!box || !token || !window.fetch) return;
    var bodies = [];
    form.querySelectorAll("input.person-key").forEach(function (el) {
      var v = el.value.trim();
      if (/id_number$/.test(el.name) && v.length === 18) bodies.push({ id_number: v });
      if (/phone$/.test(el.name) && v.length >= 7) bodies.push({ phone: v });
    });
    if (bodies.length === 0) return;
    Promise.all(bodies.map(function (b) {
      return fetch("/api/v1/matters/lookup", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": token.value },
        body: JSON.stringify(b)
      }).then(function (r) { return r.ok ? r.json() : []; }).catch(function () { return []; });
    })).then(function (lists) {
      var seen = {};
      var found = [];
      lists.forEach(function (l) {
        l.forEach(function (m) { if (!seen[m.id]) { seen[m.id] = true; found.push(m); } });
      });
      show(found);
    });
  }
  function el(tag, text) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    return e;
  }
  function radio(value, checked) {
    var r = el("input");
    r.type = "radio";
    r.name = "repeat_of";
    r.value = value;
    r.checked = checked;
    return r;
  }
  function show(found) {
    var current = form.querySelector("input[name=repeat_of]:checked") || form.querySelector("input[name=repeat_of]");
    var chosen = current ? current.value : "";
    box.textContent = "";
    if (found.length === 0) {
      box.appendChild(el("p", "未发现同一当事人（身份证号或电话相同）的其他事项。")).className = "muted";
      return;
    }
    var wrap = el("div");
    wrap.className = "notice-warn";
    wrap.appendChild(el("p", "同一当事人已有 " + found.length + " 件事项。如反映的是同一事实的信访，请选择原事项，登记为重复信访："));
    var none = el("label");
    none.className = "check";
    none.appendChild(radio("", chosen === ""));
    none.appendChild(document.createTextNode(" 不是重复信访"));
    wrap.appendChild(none);
    found.forEach(function (m) {
      var l = el("label");
      l.className = "check";
      l.appendChild(radio(String(m.id), chosen === String(m.id)));
      l.appendChild(document.createTextNode(" 重复信访，原事项："));
      var a = el("a", m.tracking_code);
      a.href = "/matters/" + m.id;
      a.target = "_blank";
      l.appendChild(a);
      l.appendChild(document.createTextNode(" " + m.received_on + " " + m.kind_label + " " + m.status_label + " — " + m.summary.slice(0, 40)));
      wrap.appendChild(l);
    });
    box.appendChild(wrap);
  }
  function watchKeys(root) {
    root.querySelectorAll("input.person-key").forEach(function (input) {
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(lookup, 400);
      });
    });
  }
  watchKeys(form);
})();
