// Start the NHS.UK components (error summary focus, header menu, skip link), and the print
// buttons, without inline script.
import { initAll } from "../nhsuk/nhsuk-frontend.min.js";

initAll();

for (const button of document.querySelectorAll("[data-ips-print]")) {
  button.addEventListener("click", () => window.print());
}
