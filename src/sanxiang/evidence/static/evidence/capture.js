/* Capture inside a record being written (询问笔录, 现场检查笔录), see evidence/_capture.html.
 *
 * - Photos and video from the phone's camera (or a file), uploaded at once and resumably with the
 *   tus client of upload.js, under the record's draft key: the server ties them to the record when
 *   it is submitted (its ledger entry lists them).
 * - Signatures drawn on a canvas with pointer events (finger, pen or mouse), uploaded as PNG.
 * - The record kept on the device: the form's fields are saved in localStorage (one key per user,
 *   case and step) as the officer types, restored on reload, and, when the form was sent without a
 *   connection, sent when the connection returns. The device's time goes with it (device_time).
 *   The draft is removed once the server reports the record as recorded (?recorded=<draft key>).
 * No library, no build step, no inline script or style (the Content-Security-Policy allows none).
 */
(function () {
  "use strict";

  var PREFIX = "sanxiang-draft:";
  var SKIP = { csrfmiddlewaretoken: true, action: true };

  function storeGet(key) {
    try { return JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  function storeSet(key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); return true; } catch (e) { return false; }
  }
  function storeRemove(key) {
    try { window.localStorage.removeItem(key); } catch (e) { /* no storage */ }
  }

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  function timeLabel(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return "";
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate()) + " " + two(d.getHours()) + ":" + two(d.getMinutes());
  }

  /* The record's draft drops away once the server says it was recorded. */
  function clearRecorded() {
    var params = new URLSearchParams(window.location.search);
    var recorded = params.get("recorded");
    if (!recorded) return;
    try {
      for (var i = window.localStorage.length - 1; i >= 0; i--) {
        var key = window.localStorage.key(i);
        if (key && key.indexOf(PREFIX) === 0) {
          var draft = storeGet(key);
          if (draft && draft.fields && draft.fields.evidence_draft === recorded) storeRemove(key);
        }
      }
    } catch (e) { /* no storage */ }
    params.delete("recorded");
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
  }

  function fieldsOf(form) {
    var data = new FormData(form);
    var fields = {};
    data.forEach(function (value, name) {
      if (SKIP[name] || typeof value !== "string") return;
      if (Object.prototype.hasOwnProperty.call(fields, name)) {
        if (!Array.isArray(fields[name])) fields[name] = [fields[name]];
        fields[name].push(value);
      } else {
        fields[name] = value;
      }
    });
    return fields;
  }

  function fieldsRestore(form, fields) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || SKIP[el.name] || el.type === "file" || !Object.prototype.hasOwnProperty.call(fields, el.name)) return;
      var value = fields[el.name];
      var values = Array.isArray(value) ? value : [value];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = values.indexOf(el.value) !== -1;
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = values.indexOf(o.value) !== -1; });
      } else {
        el.value = values[0];
      }
    });
  }

  function SignaturePad(canvas) {
    var self = this;
    this.canvas = canvas;
    this.drawn = false;
    this.last = null;
    this.ctx = canvas.getContext("2d");
    this.fit();
    canvas.addEventListener("pointerdown", function (e) {
      e.preventDefault();
      if (canvas.setPointerCapture) { try { canvas.setPointerCapture(e.pointerId); } catch (err) { /* synthetic */ } }
      self.last = self.point(e);
      self.dot(self.last);
    });
    canvas.addEventListener("pointermove", function (e) {
      if (!self.last) return;
      e.preventDefault();
      var p = self.point(e);
      self.line(self.last, p);
      self.last = p;
    });
    function end() { self.last = null; }
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
    canvas.addEventListener("pointerleave", end);
  }
  SignaturePad.prototype.fit = function () {
    var rect = this.canvas.getBoundingClientRect();
    var ratio = window.devicePixelRatio || 1;
    if (rect.width > 0 && rect.height > 0) {
      this.canvas.width = Math.round(rect.width * ratio);
      this.canvas.height = Math.round(rect.height * ratio);
    }
    this.clear();
  };
  SignaturePad.prototype.clear = function () {
    var ctx = this.ctx;
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.strokeStyle = "#111";
    ctx.fillStyle = "#111";
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.lineWidth = Math.max(2, this.canvas.width / 200);
    this.drawn = false;
  };
  SignaturePad.prototype.point = function (e) {
    var rect = this.canvas.getBoundingClientRect();
    return {
      x: (e.clientX - rect.left) * (this.canvas.width / (rect.width || 1)),
      y: (e.clientY - rect.top) * (this.canvas.height / (rect.height || 1))
    };
  };
  SignaturePad.prototype.dot = function (p) {
    this.ctx.beginPath();
    this.ctx.arc(p.x, p.y, this.ctx.lineWidth / 2, 0, Math.PI * 2);
    this.ctx.fill();
  };
  SignaturePad.prototype.line = function (a, b) {
    this.ctx.beginPath();
    this.ctx.moveTo(a.x, a.y);
    this.ctx.lineTo(b.x, b.y);
    this.ctx.stroke();
    this.drawn = true;
  };

  function init(box) {
    var form = box.closest("form");
    if (!form) return;
    var $ = function (sel) { return box.querySelector(sel); };
    // One draft per user, case and step: on a shared phone, another officer's page never shows,
    // nor sends, a record someone else left on the device.
    var user = box.dataset.captureUser;
    if (!user) return;
    var key = PREFIX + user + ":" + box.dataset.case + ":" + box.dataset.step;
    var draftInput = form.querySelector("[name=evidence_draft]");
    var timeInput = form.querySelector("[name=device_time]");
    var notice = $("[data-draft-notice]");
    var statusEl = $("[data-capture-status]");
    var list = $("[data-capture-list]");
    var csrf = form.querySelector("[name=csrfmiddlewaretoken]");
    var busy = 0;
    var draft = storeGet(key);

    function status(text, tone) { statusEl.textContent = text; statusEl.className = "capture-status " + (tone || ""); }
    function say(text) { notice.textContent = text; notice.hidden = !text; }
    function save() {
      draft = draft || {};
      draft.fields = fieldsOf(form);
      draft.saved = new Date().toISOString();
      if (!storeSet(key, draft)) status("本机无法保存草稿（浏览器存储不可用），断网时请勿刷新页面。", "error");
    }
    function viewUrl(record) { return box.dataset.viewUrl.replace(/0\/$/, record + "/"); }
    function listItem(label) {
      var li = document.createElement("li");
      li.textContent = label;
      list.appendChild(li);
      return li;
    }
    function showDone(li, entry) {
      li.textContent = entry.label + "：已上传 ";
      var a = document.createElement("a");
      a.href = viewUrl(entry.record);
      a.textContent = "查看";
      li.appendChild(a);
      li.className = "done";
    }

    // The record as it was left on this device.
    if (draft && draft.fields) {
      fieldsRestore(form, draft.fields);
      var details = box.closest("details");
      if (details) details.open = true;
      say((draft.pending ? "网络断开时填写的笔录已保存在本机，联网后自动提交。" : "已恢复本机保存的笔录草稿") +
          (draft.saved ? "（" + timeLabel(draft.saved) + "）" : "") + "。");
      (draft.uploads || []).forEach(function (entry) { showDone(listItem(entry.label), entry); });
    }
    if (!draftInput.value) draftInput.value = newKey();

    function upload(file, kind, label, extra) {
      if (!window.SanxiangTusUpload) { status("上传组件未能加载，请刷新页面。", "error"); return; }
      var li = listItem(label + "：等待上传");
      var metadata = { kind: kind, "case": box.dataset.case, step: box.dataset.step, draft: draftInput.value };
      Object.keys(extra || {}).forEach(function (k) { metadata[k] = extra[k]; });
      busy += 1;
      var finished = false;
      // A record sent while its files were still on their way goes once they are in.
      function finish(ok) {
        if (finished) return;
        finished = true;
        busy -= 1;
        if (ok) { sendPending(); return; }
        if (draft && draft.pending) {
          draft.pending = false;
          save();
          say("有文件未能上传，笔录尚未提交：请看下方的说明，处理后重新提交。");
        }
      }
      var ui = {
        progress: function (sent, total) {
          if (!finished) li.textContent = label + "：正在上传 " + (total ? Math.floor(sent * 100 / total) : 100) + "%";
        },
        status: function (text, tone) {
          if (tone === "error" || tone === "warning") li.textContent = label + "：" + text;
          li.className = tone === "error" ? "error" : "";
        },
        done: function (record) {
          var entry = { label: label, record: record };
          showDone(li, entry);
          draft = draft || {};
          draft.uploads = (draft.uploads || []).concat([entry]);
          save();
          status("", "");
          finish(true);
        },
        failed: function () { finish(false); },
        paused: function () { /* retried on the online event */ }
      };
      var job = new window.SanxiangTusUpload(file, {
        endpoint: box.dataset.tusUrl, caseId: box.dataset.case, csrfToken: csrf.value, metadata: metadata
      }, ui);
      window.addEventListener("online", function () { if (!finished) job.retryNow(); });
      job.start();
    }

    $("[data-capture-file]").addEventListener("change", function (event) {
      Array.prototype.forEach.call(event.target.files || [], function (file) {
        var type = file.type || "";
        var kind = type.indexOf("video/") === 0 ? "video" : "photo";
        upload(file, kind, (kind === "video" ? "录像 " : "照片 ") + file.name, {
          captured_at: new Date(file.lastModified || Date.now()).toISOString()
        });
      });
      event.target.value = "";
    });

    var pad = new SignaturePad($("[data-sign-pad]"));
    window.addEventListener("resize", function () { if (!pad.drawn) pad.fit(); });
    $("[data-sign-clear]").addEventListener("click", function () { pad.clear(); });
    $("[data-sign-save]").addEventListener("click", function () {
      var role = $("[data-sign-role]");
      var name = $("[data-sign-name]");
      var problems = [];
      if (!role.value) problems.push("请选择签名人身份");
      if (!name.value.trim()) problems.push("请填写签名人姓名");
      if (!pad.drawn) problems.push("请先在签名框内签名");
      if (problems.length) { status(problems.join("；") + "。", "error"); return; }
      var roleLabel = role.options[role.selectedIndex].text;
      var signer = name.value.trim();
      pad.canvas.toBlob(function (blob) {
        if (!blob) { status("无法生成签名图片，请重试。", "error"); return; }
        var file = new File([blob], "签名-" + roleLabel + "-" + signer + ".png", { type: "image/png", lastModified: Date.now() });
        upload(file, "signature", "签名（" + roleLabel + " " + signer + "）", {
          signer_role: role.value, signer_name: signer, captured_at: new Date().toISOString()
        });
        pad.clear();
        name.value = "";
      }, "image/png");
    });

    form.addEventListener("input", function (e) { if (e.target.name && !SKIP[e.target.name]) save(); });
    form.addEventListener("change", function (e) { if (e.target.name && !SKIP[e.target.name]) save(); });

    form.addEventListener("submit", function (event) {
      // When the officer finished the record, by the device's clock; the server keeps its own too.
      timeInput.value = new Date().toISOString();
      save();
      if (!navigator.onLine || busy > 0) {
        // Kept, and sent when the connection returns and the record's files are all in (the
        // record's entry lists the files uploaded by then).
        event.preventDefault();
        draft.pending = true;
        save();
        say(navigator.onLine ? "照片、签名仍在上传：上传完成后自动提交笔录。"
          : "网络已断开：笔录已保存在本机，联网后自动提交，请勿清除浏览器数据。");
      }
    });

    function sendPending() {
      if (draft && draft.pending && navigator.onLine && busy === 0) {
        draft.pending = false;
        save();
        say("网络已恢复，正在提交本机保存的笔录…");
        form.submit();
      }
    }
    window.addEventListener("online", sendPending);
    sendPending();
  }

  document.addEventListener("DOMContentLoaded", function () {
    clearRecorded();
    Array.prototype.forEach.call(document.querySelectorAll("[data-capture]"), init);
  });
})();
