// The panel beside the map: every crime at the selected point, with its latest
// outcome and full outcome history in plain words. Built from DOM nodes with
// textContent, so nothing in the data can become markup.

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function renderLoading(body) {
  body.setAttribute('aria-busy', 'true');
  body.replaceChildren(element('p', 'govuk-body', 'Loading the crimes at this place…'));
}

export function renderFailure(body) {
  body.removeAttribute('aria-busy');
  body.replaceChildren(element('p', 'govuk-error-message', 'The crimes at this place could not be loaded. Try again, or use the list view.'));
}

function history(crime) {
  if (crime.outcomes.length === 0) {
    return crime.outcomesNote && crime.outcomesNote !== crime.latestOutcomeText ? element('p', 'govuk-body-s', crime.outcomesNote) : null;
  }
  const details = element('details', 'govuk-details govuk-!-margin-bottom-2');
  const summary = element('summary', 'govuk-details__summary');
  summary.append(element('span', 'govuk-details__summary-text', `Outcome history (${crime.outcomes.length} ${crime.outcomes.length === 1 ? 'update' : 'updates'})`));
  const text = element('div', 'govuk-details__text');
  const list = element('ol', 'govuk-list govuk-list--number app-outcome-history');
  for (const outcome of crime.outcomes) {
    const item = element('li');
    item.append(element('strong', null, `${outcome.month}: ${outcome.name}.`), ` ${outcome.explanation}`);
    list.append(item);
  }
  text.append(list);
  details.append(summary, text);
  return details;
}

/** Fills the panel with the answer of /map-data/location/:id. */
export function renderLocation(body, data, placeName) {
  body.removeAttribute('aria-busy');
  const heading = element('h3', 'govuk-heading-s', placeName(data.location.street));
  heading.id = 'selected-place-name';
  const count = data.crimes.length;
  const summary = element('p', 'govuk-body', count === 0 ? 'No crimes here for this month and type.' : `${count} ${count === 1 ? 'crime' : 'crimes'}${data.month ? ` in ${data.month}` : ''}${data.category ? ` (${data.category.name})` : ''}.`);
  const list = element('ul', 'govuk-list app-crimes');
  list.id = 'selected-crimes';
  for (const crime of data.crimes) {
    const item = element('li', 'app-crime');
    const title = element('p', 'govuk-body govuk-!-margin-bottom-1');
    title.append(element('strong', null, crime.category.name), `, ${crime.month}`);
    item.append(title, element('p', 'govuk-body govuk-!-margin-bottom-1', `Latest outcome: ${crime.latestOutcomeText}`));
    const more = history(crime);
    if (more) item.append(more);
    list.append(item);
  }
  body.replaceChildren(heading, summary, list, element('p', 'govuk-body-s', data.caveat));
}
