/* Evidence upload widget: a small tus 1.0.0 client (core, creation, termination, checksum).
 *
 * No library and no build step. The upload URL is kept in localStorage under the file's name,
 * size and modification time, so that after a dropped connection, a pause or a page reload
 * choosing the same file again continues where the server's offset says. A dropped connection
 * is retried with growing delays; errors the server explains are shown in its words.
 */
(function () {
  "use strict";

  var TUS_VERSION = "1.0.0";
  var CHUNK_SIZE = 8 * 1024 * 1024;
  var RETRY_DELAYS = [1000, 2000, 4000, 8000, 15000, 30000, 60000];
  var MAX_RETRIES = 30;
  var STORE_PREFIX = "sanxiang-tus:";

  function sizeLabel(n) {
    var units = [["GB", 1073741824], ["MB", 1048576], ["KB", 1024]];
    for (var i = 0; i < units.length; i++) {
      if (n >= units[i][1]) return (n / units[i][1]).toFixed(1).replace(/\.0$/, "") + " " + units[i][0];
    }
    return n + " 字节";
  }

  function base64Utf8(text) {
    var bytes = new TextEncoder().encode(text);
    var binary = "";
    for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return btoa(binary);
  }

  function base64Bytes(buffer) {
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return btoa(binary);
  }

  function fingerprint(file, caseId) {
    return STORE_PREFIX + [caseId || "-", file.name, file.size, file.lastModified].join(":");
  }

  function storeGet(key) {
    try { return JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  function storeSet(key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode: no resume after reload */ }
  }
  function storeRemove(key) {
    try { window.localStorage.removeItem(key); } catch (e) { /* ignore */ }
  }

  function serverMessage(xhr, fallback) {
    try {
      var body = JSON.parse(xhr.responseText || "{}");
      if (body.message) return body.message;
    } catch (e) { /* not JSON: a proxy or CSRF page */ }
    if (xhr.status === 403) return "请求被拒绝（可能是页面已过期），请刷新页面后重试";
    return fallback;
  }

  /* One upload of one file. `ui` receives progress(sent, total), status(text, tone), done(info). */
  function Upload(file, options, ui) {
    this.file = file;
    this.options = options;
    this.ui = ui;
    this.key = fingerprint(file, options.caseId);
    this.url = null;
    this.offset = 0;
    this.xhr = null;
    this.timer = null;
    this.retries = 0;
    this.paused = false;
    this.finished = false;
  }

  Upload.prototype._request = function (method, url, headers, body, onload, onprogress) {
    var self = this;
    var xhr = new XMLHttpRequest();
    this.xhr = xhr;
    xhr.open(method, url, true);
    xhr.setRequestHeader("Tus-Resumable", TUS_VERSION);
    if (method !== "HEAD") xhr.setRequestHeader("X-CSRFToken", this.options.csrfToken);
    Object.keys(headers).forEach(function (name) { xhr.setRequestHeader(name, headers[name]); });
    if (onprogress) xhr.upload.onprogress = onprogress;
    xhr.onload = function () { if (self.xhr === xhr) { self.xhr = null; onload(xhr); } };
    xhr.onerror = xhr.ontimeout = function () { if (self.xhr === xhr) { self.xhr = null; self._retry("网络连接中断"); } };
    xhr.send(body === undefined ? null : body);
  };

  Upload.prototype.start = function () {
    this.paused = false;
    var saved = storeGet(this.key);
    if (saved && saved.url) {
      this.url = saved.url;
      this.ui.status("发现此文件未完成的上传，正在从中断处继续…", "info");
      this._head();
    } else {
      this._create();
    }
  };

  Upload.prototype._create = function () {
    var self = this;
    var meta = this.options.metadata;
    var pairs = ["filename " + base64Utf8(this.file.name)];
    Object.keys(meta).forEach(function (k) {
      if (meta[k] !== "" && meta[k] !== null && meta[k] !== undefined) pairs.push(k + " " + base64Utf8(String(meta[k])));
    });
    this.ui.status("正在登记上传…", "info");
    this._request("POST", this.options.endpoint, {
      "Upload-Length": String(this.file.size),
      "Upload-Metadata": pairs.join(",")
    }, null, function (xhr) {
      if (xhr.status === 201) {
        self.url = xhr.getResponseHeader("Location");
        self.offset = 0;
        storeSet(self.key, { url: self.url, name: self.file.name, size: self.file.size, created: Date.now() });
        self._send();
      } else {
        self._fail(xhr, "无法开始上传");
      }
    });
  };

  Upload.prototype._head = function () {
    var self = this;
    this._request("HEAD", this.url, {}, null, function (xhr) {
      if (xhr.status === 200) {
        self.offset = parseInt(xhr.getResponseHeader("Upload-Offset"), 10) || 0;
        var record = xhr.getResponseHeader("Sanxiang-Evidence-Record");
        if (record) { self._done(record); return; }
        self.ui.progress(self.offset, self.file.size);
        self._send();
      } else if (xhr.status === 404 || xhr.status === 410) {
        // The old upload expired or was cancelled: start again from the beginning.
        storeRemove(self.key);
        self.ui.status("之前未完成的上传已失效，重新开始上传…", "warning");
        self._create();
      } else if (xhr.status >= 500 || xhr.status === 423) {
        self._retry("服务器暂时不可用");
      } else {
        self._fail(xhr, "无法查询上传进度");
      }
    });
  };

  Upload.prototype._send = function () {
    var self = this;
    if (this.paused) return;
    var end = Math.min(this.offset + CHUNK_SIZE, this.file.size);
    var start = this.offset;
    var blob = this.file.slice(start, end);
    blob.arrayBuffer().then(function (buffer) {
      var subtle = window.crypto && window.crypto.subtle;
      // crypto.subtle exists only on https or localhost; elsewhere the server still keeps its
      // own digest of every chunk.
      return subtle ? subtle.digest("SHA-256", buffer).then(function (d) { return [buffer, d]; }) : [buffer, null];
    }).then(function (pair) {
      if (self.paused) return;
      var headers = {
        "Content-Type": "application/offset+octet-stream",
        "Upload-Offset": String(start)
      };
      if (pair[1]) headers["Upload-Checksum"] = "sha256 " + base64Bytes(pair[1]);
      self.ui.status("正在上传…", "info");
      self._request("PATCH", self.url, headers, pair[0], function (xhr) {
        self._patched(xhr, end);
      }, function (event) {
        self.ui.progress(start + event.loaded, self.file.size);
        if (end === self.file.size && event.loaded === event.total) {
          self.ui.status("数据已发送，服务器正在校验并入库，请稍候…", "info");
        }
      });
    }, function () {
      self._fail(null, "无法读取所选文件（文件可能已被移动或修改），请重新选择");
    });
  };

  Upload.prototype._patched = function (xhr, end) {
    if (xhr.status === 204) {
      this.retries = 0;
      this.offset = parseInt(xhr.getResponseHeader("Upload-Offset"), 10);
      this.ui.progress(this.offset, this.file.size);
      var record = xhr.getResponseHeader("Sanxiang-Evidence-Record");
      if (record) { this._done(record); return; }
      this._send();
    } else if (xhr.status === 409) {
      // The server has a different offset (e.g. a chunk arrived although its answer was lost).
      this._head();
    } else if (xhr.status === 460) {
      this._retry("数据在传输中损坏");
    } else if (xhr.status === 423 || xhr.status >= 500) {
      this._retry(xhr.status === 423 ? "上一次请求尚未结束" : serverMessage(xhr, "服务器暂时不可用"));
    } else if (xhr.status === 404 || xhr.status === 410) {
      storeRemove(this.key);
      this._fail(xhr, "此上传已失效，请重新上传");
    } else {
      this._fail(xhr, "上传失败");
    }
  };

  Upload.prototype._retry = function (reason) {
    var self = this;
    if (this.paused || this.finished) return;
    if (this.retries >= MAX_RETRIES) {
      this.ui.status(reason + "，多次重试仍未成功。进度已保存，请检查网络后点击“继续”。", "error");
      this.ui.paused();
      this.paused = true;
      return;
    }
    var delay = RETRY_DELAYS[Math.min(this.retries, RETRY_DELAYS.length - 1)];
    this.retries += 1;
    this.ui.status(reason + "，" + Math.round(delay / 1000) + " 秒后自动重试（第 " + this.retries + " 次）。已上传的部分不会丢失。", "warning");
    this.timer = window.setTimeout(function () { self.timer = null; if (self.url) self._head(); else self._create(); }, delay);
  };

  Upload.prototype.retryNow = function () {
    if (this.timer && !this.paused) {
      window.clearTimeout(this.timer);
      this.timer = null;
      if (this.url) this._head(); else this._create();
    }
  };

  Upload.prototype.pause = function () {
    this.paused = true;
    if (this.timer) { window.clearTimeout(this.timer); this.timer = null; }
    if (this.xhr) { var xhr = this.xhr; this.xhr = null; xhr.abort(); }
    this.ui.status("已暂停。点击“继续”从 " + sizeLabel(this.offset) + " 处接着上传；关闭页面后重新选择同一文件也可继续。", "info");
  };

  Upload.prototype.resume = function () {
    this.retries = 0;
    this.start();
  };

  Upload.prototype.cancel = function () {
    var self = this;
    this.pause();
    storeRemove(this.key);
    if (!this.url) { this.ui.status("已取消", "info"); return; }
    this._request("DELETE", this.url, {}, null, function (xhr) {
      self.ui.status(xhr.status === 204 ? "已取消上传，服务器上的暂存数据已删除" : serverMessage(xhr, "取消失败"), xhr.status === 204 ? "info" : "error");
    });
  };

  Upload.prototype._done = function (record) {
    this.finished = true;
    storeRemove(this.key);
    this.ui.progress(this.file.size, this.file.size);
    this.ui.done(record);
  };

  Upload.prototype._fail = function (xhr, fallback) {
    this.finished = true;
    var message = xhr ? serverMessage(xhr, fallback) : fallback;
    if (xhr && xhr.status === 401) message = "登录已失效，请在新窗口重新登录后回到本页，重新选择同一文件继续上传（进度已保存）";
    this.ui.status(message, "error");
    this.ui.failed();
  };

  /* The page ------------------------------------------------------------------------------ */

  function pendingUploads(caseId) {
    var found = [];
    try {
      for (var i = 0; i < window.localStorage.length; i++) {
        var key = window.localStorage.key(i);
        if (key && key.indexOf(STORE_PREFIX + (caseId || "-") + ":") === 0) {
          var value = storeGet(key);
          if (value) found.push(value);
        }
      }
    } catch (e) { /* no storage */ }
    return found;
  }

  function init(form) {
    var $ = function (sel) { return form.querySelector(sel); };
    var maxBytes = parseInt(form.dataset.maxBytes, 10);
    var caseId = form.dataset.case || "";
    var fileInput = $("#ev-file");
    var startBtn = $("#ev-start"), pauseBtn = $("#ev-pause"), resumeBtn = $("#ev-resume"), cancelBtn = $("#ev-cancel");
    var bar = $("#ev-progress"), percent = $("#ev-percent"), statusEl = $("#ev-status"), doneEl = $("#ev-done");
    var current = null;

    function show(el, visible) { el.hidden = !visible; }
    function setBusy(busy) {
      show(startBtn, !busy); show(pauseBtn, busy); show(resumeBtn, false); show(cancelBtn, busy);
      form.querySelectorAll("input, select").forEach(function (el) { el.disabled = busy; });
    }
    var ui = {
      progress: function (sent, total) {
        show(bar, true);
        var p = total ? Math.floor((sent / total) * 1000) / 10 : 100;
        bar.value = p;
        percent.textContent = p.toFixed(1) + "%（" + sizeLabel(sent) + " / " + sizeLabel(total) + "）";
      },
      status: function (text, tone) { statusEl.textContent = text; statusEl.className = "upload-status " + (tone || ""); },
      done: function (record) {
        setBusy(false);
        ui.status("上传完成，已入库并记入全过程记录账本（证据记录 #" + record + "）。", "ok");
        show(doneEl, true);
        current = null;
        fileInput.value = "";
      },
      failed: function () { setBusy(false); current = null; },
      paused: function () { show(pauseBtn, false); show(resumeBtn, true); }
    };

    var pending = pendingUploads(caseId);
    if (pending.length) {
      var list = $("#ev-pending");
      pending.forEach(function (p) {
        var li = document.createElement("li");
        li.textContent = p.name + "（" + sizeLabel(p.size) + "）未上传完成：重新选择该文件并点击“开始上传”即可继续。";
        list.appendChild(li);
      });
      show(list, true);
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var file = fileInput.files && fileInput.files[0];
      if (!file) { ui.status("请先选择文件", "error"); return; }
      if (file.size === 0) { ui.status("所选文件是空的（0 字节）", "error"); return; }
      if (file.size > maxBytes) {
        ui.status("文件大小 " + sizeLabel(file.size) + "，超过单个文件上限 " + sizeLabel(maxBytes) + "，无法上传。", "error");
        return;
      }
      var kind = $("#ev-kind").value;
      if (!kind) { ui.status("请选择证据类别", "error"); return; }
      show(doneEl, false);
      current = new Upload(file, {
        endpoint: form.dataset.tusUrl,
        caseId: caseId,
        csrfToken: $("[name=csrfmiddlewaretoken]").value,
        metadata: {
          kind: kind,
          "case": caseId,
          step: $("#ev-step").value,
          captured_at: $("#ev-captured").value,
          device: $("#ev-device").value,
          officer: $("#ev-officer").value,
          location: $("#ev-location").value
        }
      }, ui);
      setBusy(true);
      current.start();
    });
    pauseBtn.addEventListener("click", function () {
      if (!current) return;
      current.pause();
      show(pauseBtn, false); show(resumeBtn, true);
    });
    resumeBtn.addEventListener("click", function () {
      if (!current) return;
      show(resumeBtn, false); show(pauseBtn, true);
      current.resume();
    });
    cancelBtn.addEventListener("click", function () {
      if (!current) return;
      if (!window.confirm("确定取消本次上传？已上传的部分将被删除。")) return;
      current.cancel();
      setBusy(false);
      current = null;
    });
    window.addEventListener("online", function () { if (current) current.retryNow(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("evidence-upload");
    if (form) init(form);
  });

  window.SanxiangTusUpload = Upload;
})();
