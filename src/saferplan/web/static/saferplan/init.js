// Start GOV.UK Frontend's components on every page.
import { initAll } from "../govuk-frontend-5.14.0/govuk-frontend.min.js";

initAll();
