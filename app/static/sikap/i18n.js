// FAB's scripts (ab.js, ab_filters.js, ab_actions.js) and the widgets they drive speak English;
// window.SIKAP_I18N (app/i18n.py: client_messages) carries the active language's words.
// Loaded after those scripts and before the page is ready, when they start their widgets.
(function ($, messages) {
  if (!$ || !messages) {
    return;
  }
  var literals = messages.literals;

  if ($.fn.datepicker) {
    var dates = messages.datepicker;
    // Over English: it holds what a language leaves out (titleFormat), as other locales do.
    $.fn.datepicker.dates[dates.code] = $.extend({}, $.fn.datepicker.dates.en, dates);
    $.fn.datepicker.defaults.language = dates.code;
    $.fn.datepicker.defaults.weekStart = dates.weekStart;
  }

  if ($.fn.select2) {
    var select2 = $.fn.select2;
    $.fn.select2 = function (options) {
      // WTForms 3.3 labels FAB's empty choice with its value, "__None"; show a dash instead.
      this.find('option[value="__None"]').text("—");
      if (options && typeof options === "object" && literals[options.placeholder]) {
        options = $.extend({}, options, { placeholder: literals[options.placeholder] });
      }
      return select2.apply(this, [options].concat(Array.prototype.slice.call(arguments, 1)));
    };
    $.extend($.fn.select2, select2);
    var words = messages.select2;
    var language = {};
    $.each(words, function (key, text) {
      language[key] = function () {
        return text;
      };
    });
    $.fn.select2.defaults.set("language", language);
  }

  if (typeof window.ab_alert === "function") {
    var alert = window.ab_alert;
    window.ab_alert = function (text) {
      return alert(literals[text] || text);
    };
  }
})(window.jQuery, window.SIKAP_I18N);
