/* The dashboard's charts: the figures come from the page (<script type="application/json"
   id="dashboard-data">, written by json_script) and each chart is drawn into its
   <div data-chart="…"> by the vendored ECharts (no inline script, no other origin). The table
   under each chart shows the same figures. Without the script or ECharts, the charts are hidden. */
(function () {
  "use strict";

  function axisLabel(unit) {
    return { formatter: function (v) { return v + (unit === "%" ? "%" : ""); } };
  }

  function bars(data, horizontal, color) {
    var values = data.values.map(function (v) { return v === null ? "-" : v; });
    var category = { type: "category", data: data.labels, axisLabel: { width: horizontal ? 110 : 70, overflow: "truncate", interval: 0, rotate: horizontal ? 0 : 30 } };
    var value = { type: "value", axisLabel: axisLabel(data.unit) };
    if (data.unit === "%") { value.max = 100; value.min = 0; }
    if (horizontal) { category.inverse = true; }
    return {
      tooltip: { trigger: "axis", renderMode: "richText" },
      grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: [{ type: "bar", data: values, itemStyle: { color: color }, label: { show: true, position: horizontal ? "right" : "top" } }],
      animation: false
    };
  }

  function line(data) {
    var values = data.values.map(function (v) { return v === null ? "-" : v; });
    var value = { type: "value", axisLabel: axisLabel(data.unit) };
    if (data.unit === "%") { value.max = 100; value.min = 0; }
    return {
      tooltip: { trigger: "axis", renderMode: "richText" },
      grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.labels, axisLabel: { rotate: 30 } },
      yAxis: value,
      series: [{ type: "line", name: data.name, data: values, connectNulls: false, label: { show: true } }],
      animation: false
    };
  }

  function draw() {
    var source = document.getElementById("dashboard-data");
    if (!source) { return; }
    if (typeof window.echarts === "undefined") { document.body.classList.add("no-chart"); return; }
    var data = JSON.parse(source.textContent);
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var key = element.getAttribute("data-chart");
      var figures = data[key];
      if (!figures) { return; }
      if (key === "ranking") { element.style.height = Math.max(200, 32 * figures.labels.length + 40) + "px"; }
      var chart = window.echarts.init(element, null, { renderer: "canvas" });
      var option = key === "trend" ? line(figures)
        : bars(figures, key === "ranking" || key === "indicators", key === "overdue" ? "#c0392b" : "#2f6fb0");
      chart.setOption(option);
      charts.push(chart);
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
