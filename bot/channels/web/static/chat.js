/* Hyteopas web chat. No build step. Every string shown comes from the server
   (the ui-strings block or GET /api/i18n/{lang}); all server text is inserted as text,
   never as markup. Questions are kept only in this page's memory. */
(function () {
  "use strict";

  var initial = JSON.parse(document.getElementById("ui-strings").textContent);
  var state = { lang: initial.language, strings: initial.strings, chosen: false, busy: false };
  var $ = function (id) { return document.getElementById(id); };
  var log = $("log"), form = $("ask-form"), question = $("question"), muni = $("municipality");
  var errorBox = $("question-error"), crisis = $("crisis"), crisisText = $("crisis-text");
  var send = $("send");
  var URL_OR_PHONE = /(https?:\/\/[^\s<>"']*[^\s<>"'.,;:!?)])|((?:\+|\b0)\d[\d ]{4,16}\d)/g;

  var store = {
    get: function (key) {
      try { return window.localStorage.getItem("hyteopas." + key); } catch (e) { return null; }
    },
    set: function (key, value) {
      try { window.localStorage.setItem("hyteopas." + key, value); } catch (e) { /* private mode */ }
    }
  };

  function t(key) { return state.strings[key] || key; }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  /* Text with web addresses and phone numbers as links; everything stays text. */
  function appendLinked(parent, text) {
    var last = 0;
    text = String(text);
    text.replace(URL_OR_PHONE, function (match, url, phone, offset) {
      if (phone && phone.replace(/\D/g, "").length < 7) { return match; }
      parent.append(text.slice(last, offset));
      var a = el("a", null, match);
      if (url) {
        a.href = url;
        a.rel = "noopener noreferrer";
        a.target = "_blank";
      } else {
        a.href = "tel:" + phone.replace(/[^\d+]/g, "");
      }
      parent.append(a);
      last = offset + match.length;
      return match;
    });
    parent.append(text.slice(last));
  }

  function applyStrings() {
    document.documentElement.lang = state.lang;
    document.title = t("page_title");
    document.querySelectorAll("[data-i18n]").forEach(function (node) {
      node.textContent = t(node.getAttribute("data-i18n"));
    });
    document.querySelectorAll("[data-i18n-placeholder]").forEach(function (node) {
      node.placeholder = t(node.getAttribute("data-i18n-placeholder"));
    });
    document.querySelectorAll("button.lang").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-lang") === state.lang));
    });
  }

  function fillMunicipalities(list) {
    var current = muni.value;
    muni.textContent = "";
    muni.add(new Option(t("municipality_any"), ""));
    list.forEach(function (m) { muni.add(new Option(m.name, m.code)); });
    muni.value = current;
  }

  function setLanguage(lang, chosen) {
    if (chosen) {
      state.chosen = true;
      store.set("lang", lang);
    }
    if (lang === state.lang) { applyStrings(); return Promise.resolve(); }
    return fetch("/api/i18n/" + encodeURIComponent(lang))
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (body) {
        if (!body) { return; }
        state.lang = body.language;
        state.strings = body.strings;
        applyStrings();
        fillMunicipalities(body.municipalities);
      });
  }

  function addMessage(who, label) {
    var li = el("li", "msg " + who);
    li.append(el("p", "who", label));
    log.append(li);
    return li;
  }

  function report(serviceId, button) {
    button.disabled = true;
    fetch("/api/report", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ service_id: serviceId, language: state.lang })
    }).then(function (res) {
      if (!res.ok) { throw new Error(String(res.status)); }
      var thanks = el("p", "thanks", t("report_thanks"));
      thanks.setAttribute("role", "status");
      button.replaceWith(thanks);
    }).catch(function () {
      button.disabled = false;
    });
  }

  function renderCard(card) {
    var li = el("li", "card");
    var article = el("article");
    article.append(el("h3", null, card.name));
    var details = el("p", "preline");
    appendLinked(details, card.details);
    article.append(details);
    var share = el("a", "share-link", t("share_link"));
    share.href = "/s/" + encodeURIComponent(card.id) + "?lang=" + state.lang;
    article.append(share);
    var button = el("button", "report", t("report_outdated"));
    button.type = "button";
    button.addEventListener("click", function () { report(card.id, button); });
    article.append(button);
    li.append(article);
    return li;
  }

  function showCrisis(text) {
    crisisText.textContent = "";
    appendLinked(crisisText, text);
    crisis.hidden = false;
  }

  function renderAnswer(li, body, asked) {
    var reply = body.reply;
    if (body.crisis_text) { showCrisis(body.crisis_text); }
    if (body.cards.length) {
      if (asked.offset === 0) {
        li.append(el("p", null, t(reply.crisis ? "results_intro_crisis" : "results_intro")));
      }
      var list = el("ul", "cards");
      body.cards.forEach(function (card) { list.append(renderCard(card)); });
      li.append(list);
    } else {
      var text = el("p", "preline");
      appendLinked(text, reply.text);
      li.append(text);
    }
    if (body.more_available) {
      var more = el("button", "more", t("more"));
      more.type = "button";
      more.addEventListener("click", function () {
        more.remove();
        ask({ question: asked.question, municipality: asked.municipality, offset: body.next_offset });
      });
      li.append(more);
    }
    if (!state.chosen && reply.language !== state.lang) { setLanguage(reply.language, false); }
  }

  function errorText(status) {
    if (status === 429) { return t("error_rate"); }
    if (status === 413) { return t("error_too_long"); }
    return t("error_generic");
  }

  function ask(asked) {
    state.busy = true;
    send.disabled = true;
    var li = addMessage("bot", t("app_name"));
    li.setAttribute("aria-busy", "true");
    var status = el("p", "searching", t("searching"));
    li.append(status);
    li.scrollIntoView({ block: "nearest" });
    return fetch("/api/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        question: asked.question,
        language: state.lang,
        force_language: state.chosen,
        municipality: asked.municipality || null,
        offset: asked.offset
      })
    }).then(function (res) {
      if (!res.ok) { throw new Error(String(res.status)); }
      return res.json();
    }).then(function (body) {
      status.remove();
      renderAnswer(li, body, asked);
    }).catch(function (err) {
      status.remove();
      li.append(el("p", "error", errorText(Number(err.message))));
    }).then(function () {
      li.removeAttribute("aria-busy");
      state.busy = false;
      send.disabled = false;
      li.scrollIntoView({ block: "nearest" });
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (state.busy) { return; }
    var text = question.value.trim();
    if (!text) {
      errorBox.textContent = t("error_empty");
      question.setAttribute("aria-invalid", "true");
      question.focus();
      return;
    }
    errorBox.textContent = "";
    question.removeAttribute("aria-invalid");
    var mine = addMessage("user", t("you"));
    mine.append(el("p", "preline", text));
    question.value = "";
    question.focus();
    ask({ question: text, municipality: muni.value, offset: 0 });
  });

  question.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  muni.addEventListener("change", function () { store.set("municipality", muni.value); });

  document.querySelectorAll("button.lang").forEach(function (button) {
    button.addEventListener("click", function () {
      setLanguage(button.getAttribute("data-lang"), true);
    });
  });

  var params = new URLSearchParams(window.location.search);
  if (!params.has("municipality")) {
    var saved = store.get("municipality");
    if (saved !== null && muni.querySelector('option[value="' + CSS.escape(saved) + '"]')) {
      muni.value = saved;
    }
  }
  var savedLang = store.get("lang");
  if (!params.has("lang") && (savedLang === "fi" || savedLang === "sv")) {
    setLanguage(savedLang, true);
  }
  document.body.classList.add("ready");
})();
