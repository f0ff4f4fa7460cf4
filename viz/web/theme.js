// The app's plots are drawn on the server in the theme the browser reported with the last rerun, so a theme
// switched in the browser (Settings, or the system's) would show only after the next click. Streamlit calls
// this component again when the theme changes: if the page's background no longer matches the theme the
// server drew with (data: "dark" or "light"), ask once for a rerun, which redraws the plots in the new one.
export default function watchTheme(component) {
  var app = document.querySelector("[data-testid=stApp]") || document.body;
  var rgb = (getComputedStyle(app).backgroundColor.match(/[\d.]+/g) || [255, 255, 255]).map(Number);
  var opaque = rgb.length < 4 || rgb[3] > 0;
  var now = opaque && 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] < 128 ? "dark" : "light";
  if (now === component.data) { window.__unfoldThemeAsked = null; return; }
  if (window.__unfoldThemeAsked === now) return;   // asked already: never a loop of reruns
  window.__unfoldThemeAsked = now;
  component.setTriggerValue("theme", now);
}
