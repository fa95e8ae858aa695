// Progressive enhancement for every page: GOV.UK Frontend's components. Pages
// work without this script; it only adds behaviour.
import { initAll } from '/assets/govuk-frontend.min.js';

document.body.classList.add('js-enabled', 'govuk-frontend-supported');
initAll();
