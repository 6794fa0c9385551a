/* The dashboards' charts (safetyportal/dashboard): the data comes from the page's
   json_script "dashboard-data"; clicking a bar, a slice or a point opens the list behind
   it (each data item carries its URL). No inline script (CSP). */
(function () {
  "use strict";

  function go(url) {
    if (url) { window.location.href = url; }
  }

  function pie(chart) {
    return {
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)", renderMode: "richText" },
      legend: { bottom: 0, type: "scroll" },
      series: [{
        type: "pie",
        radius: ["35%", "65%"],
        center: ["50%", "42%"],
        label: { formatter: "{c}" },
        data: chart.series.map(function (item) {
          var datum = { name: item.name, value: item.value, url: item.url };
          if (item.colour) { datum.itemStyle = { color: item.colour }; }
          return datum;
        })
      }]
    };
  }

  function bars(chart, horizontal) {
    var category = { type: "category", data: chart.categories, axisLabel: { interval: 0 } };
    var value = { type: "value", minInterval: 1 };
    return {
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { bottom: 0 },
      grid: { left: horizontal ? 150 : 40, right: 20, top: 10, bottom: 40 },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: chart.series.map(function (s) {
        return {
          name: s.name, type: "bar", label: { show: true, position: horizontal ? "right" : "top" },
          data: s.data.map(function (v, i) { return { value: v, url: (s.urls || [])[i] }; })
        };
      })
    };
  }

  function lines(chart, months) {
    return {
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { bottom: 0, type: "scroll" },
      grid: { left: 40, right: 20, top: 10, bottom: 50 },
      xAxis: { type: "category", data: months },
      yAxis: { type: "value", minInterval: 1 },
      series: chart.series.map(function (s, index) {
        return {
          name: s.name, type: "line", connectNulls: false,
          lineStyle: index === 0 || (chart.series.length === 4 && index === 2) ? { type: "dashed" } : {},
          data: s.data.map(function (v, i) { return { value: v, url: (s.urls || [])[i] }; })
        };
      })
    };
  }

  function draw() {
    var source = document.getElementById("dashboard-data");
    if (!source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var drawn = [];
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var chart = data.charts[element.getAttribute("data-chart")];
      if (!chart) { return; }
      var option;
      if (chart.type === "pie") { option = pie(chart); }
      else if (chart.type === "bars") { option = bars(chart, false); }
      else if (chart.type === "hbar") { option = bars(chart, true); }
      else { option = lines(chart, data.months); }
      var instance = echarts.init(element, null, { renderer: "svg" });
      instance.setOption(option);
      instance.on("click", function (params) { go(params.data && params.data.url); });
      drawn.push(instance);
    });
    window.addEventListener("resize", function () {
      drawn.forEach(function (instance) { instance.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
