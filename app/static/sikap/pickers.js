// Search-as-you-type pickers (app/views/pickers.py): the <select> holds only the chosen row;
// select2 asks the field's data-source for 20 matches at a time as the user types.
(function ($) {
  if (!$ || !$.fn.select2) {
    return;
  }

  function start(root) {
    $("select.sikap-picker", root).each(function () {
      var $select = $(this);
      if ($select.data("select2")) {
        return;
      }
      $select.select2({
        theme: "bootstrap",
        width: "100%",
        allowClear: true,
        placeholder: $select.data("placeholder") || "",
        ajax: {
          url: $select.data("source"),
          dataType: "json",
          delay: 250,
          data: function (params) {
            return { q: params.term || "", page: params.page || 1 };
          },
        },
      });
    });
  }

  $(function () {
    start(document);
    // FAB's list filters (ab_filters.js) add a row holding a fresh copy of the field.
    $(document).on("click", "#filter_form a.filter", function () {
      start($("#filter_form"));
    });
  });
})(window.jQuery);
