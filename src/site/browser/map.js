// The crime map: MapLibre GL over the server's clusters and snap points. The
// page works without this script (filters open the list view); the script
// draws the map, keeps its state in the URL so a view can be shared, and shows
// the crimes at a selected point in the panel beside it.
import { createDrawing } from './map-draw.js';
import { renderLocation, renderLoading, renderFailure } from './map-panel.js';

const container = document.getElementById('map');
const maplibregl = window.maplibregl;

if (container && maplibregl) start(container);

function start(el) {
  const state = {
    month: el.dataset.month || '',
    shownMonth: el.dataset.shownMonth || '',
    category: el.dataset.category || '',
    selected: null,
  };
  el.replaceChildren();
  for (const hidden of document.querySelectorAll('.app-js-only')) hidden.removeAttribute('hidden');

  const empty = { type: 'FeatureCollection', features: [] };
  const map = new maplibregl.Map({
    container: el,
    center: [Number(el.dataset.lng), Number(el.dataset.lat)],
    zoom: Number(el.dataset.zoom),
    maxZoom: 18,
    attributionControl: { compact: false },
    style: {
      version: 8,
      sources: {
        basemap: { type: 'raster', tiles: [el.dataset.tileUrl], tileSize: 256, maxzoom: 19, attribution: el.dataset.tileAttribution },
        boundaries: { type: 'geojson', data: '/map-data/neighbourhoods.geojson' },
        crimes: { type: 'geojson', data: empty },
        drawn: { type: 'geojson', data: empty },
      },
      // No symbol layers: text would need glyphs from a font server, which this page does not use.
      layers: [
        { id: 'background', type: 'background', paint: { 'background-color': '#f3f2f1' } },
        { id: 'basemap', type: 'raster', source: 'basemap' },
        { id: 'boundaries-fill', type: 'fill', source: 'boundaries', paint: { 'fill-color': '#1d3557', 'fill-opacity': 0.04 } },
        { id: 'boundaries-line', type: 'line', source: 'boundaries', paint: { 'line-color': '#1d3557', 'line-width': 2, 'line-dasharray': [3, 2] } },
        {
          id: 'clusters', type: 'circle', source: 'crimes', filter: ['==', ['get', 'kind'], 'cluster'],
          paint: {
            'circle-color': '#1d70b8', 'circle-opacity': 0.85, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2,
            'circle-radius': ['interpolate', ['linear'], ['get', 'crimes'], 1, 10, 100, 18, 1000, 28, 10000, 40],
          },
        },
        {
          id: 'points', type: 'circle', source: 'crimes', filter: ['==', ['get', 'kind'], 'location'],
          paint: {
            'circle-color': '#d4351c', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2,
            'circle-radius': ['interpolate', ['linear'], ['get', 'crimes'], 1, 6, 20, 12, 100, 18],
          },
        },
        {
          id: 'selected', type: 'circle', source: 'crimes', filter: ['==', ['get', 'locationId'], -1],
          paint: { 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#ffdd00', 'circle-stroke-width': 5, 'circle-radius': 16 },
        },
        { id: 'drawn-fill', type: 'fill', source: 'drawn', filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': '#ffdd00', 'fill-opacity': 0.3 } },
        { id: 'drawn-line', type: 'line', source: 'drawn', filter: ['!=', ['geometry-type'], 'Point'], paint: { 'line-color': '#0b0c0c', 'line-width': 3 } },
        { id: 'drawn-corners', type: 'circle', source: 'drawn', filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-color': '#0b0c0c', 'circle-radius': 5, 'circle-stroke-color': '#ffdd00', 'circle-stroke-width': 2 } },
      ],
    },
  });
  window.appMap = map; // for browser tests and for people debugging in the console
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.getCanvas().setAttribute('aria-label', 'Crime map. Use the arrow keys to move and plus or minus to zoom. The places on the map are also listed beside it.');

  // Without internet (or if the tile server is down) the basemap fails; everything else is ours and still draws.
  map.on('error', (event) => {
    if (event.sourceId === 'basemap' || (event.tile && event.source?.id === 'basemap')) {
      document.getElementById('basemap-unavailable')?.removeAttribute('hidden');
      // A failed tile schedules no frame, and MapLibre only fires `load` from a frame.
      map.triggerRepaint();
    }
  });

  const drawing = createDrawing(map, { onStatus: (text) => { document.getElementById('draw-status').textContent = text; } });
  let request = 0;

  async function refresh() {
    const id = ++request;
    const b = map.getBounds();
    const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
    const bbox = [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -85, 85), clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -85, 85)].map((v) => v.toFixed(5)).join(',');
    const params = new URLSearchParams({ bbox, zoom: String(Math.floor(map.getZoom())) });
    if (state.month) params.set('month', state.month);
    if (state.category) params.set('category', state.category);
    try {
      const response = await fetch(`/map-data/clusters?${params}`);
      if (!response.ok) throw new Error(`clusters ${response.status}`);
      const data = await response.json();
      if (id !== request) return; // a later move has already asked again
      map.getSource('crimes').setData(data);
      if (data.meta?.month) state.shownMonth = data.meta.month;
      listPlaces(data.features);
      el.dataset.loaded = 'true';
      el.dispatchEvent(new CustomEvent('app:clusters', { detail: { features: data.features.length } }));
    } catch {
      document.getElementById('map-points-summary').textContent = 'The crimes could not be loaded. Try again, or use the list view.';
    }
  }

  function listPlaces(features) {
    const list = document.getElementById('map-points');
    const sorted = [...features].sort((a, b) => b.properties.crimes - a.properties.crimes).slice(0, 40);
    const crimes = features.reduce((sum, f) => sum + f.properties.crimes, 0);
    document.getElementById('map-points-summary').textContent =
      features.length === 0 ? 'No crimes are shown in this part of the map.' : `${crimes} crimes in view${features.length > sorted.length ? `; the ${sorted.length} busiest places are listed` : ''}.`;
    list.replaceChildren(
      ...sorted.map((feature) => {
        const p = feature.properties;
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'govuk-button govuk-button--secondary govuk-!-margin-bottom-1';
        if (p.kind === 'location') {
          button.textContent = `${placeName(p.street)}: ${p.crimes} ${p.crimes === 1 ? 'crime' : 'crimes'}`;
          button.dataset.locationId = String(p.locationId);
          button.addEventListener('click', () => select(p.locationId));
        } else {
          button.textContent = `${p.crimes} crimes at ${p.locations} places: zoom in`;
          button.addEventListener('click', () => map.easeTo({ center: feature.geometry.coordinates, zoom: p.expansionZoom }));
        }
        const item = document.createElement('li');
        item.append(button);
        return item;
      }),
    );
  }

  async function select(locationId) {
    state.selected = locationId;
    map.setFilter('selected', ['==', ['get', 'locationId'], locationId]);
    const body = document.getElementById('map-panel-body');
    renderLoading(body);
    const params = new URLSearchParams();
    if (state.shownMonth) params.set('month', state.shownMonth);
    if (state.category) params.set('category', state.category);
    try {
      const response = await fetch(`/map-data/location/${locationId}?${params}`);
      if (!response.ok) throw new Error(`location ${response.status}`);
      renderLocation(body, await response.json(), placeName);
    } catch {
      renderFailure(body);
    }
    document.getElementById('map-panel-heading').focus();
  }

  function saveState() {
    const c = map.getCenter();
    const view = { lat: c.lat.toFixed(5), lng: c.lng.toFixed(5), zoom: map.getZoom().toFixed(2) };
    const query = new URLSearchParams(view);
    if (state.month) query.set('month', state.month);
    if (state.category) query.set('category', state.category);
    history.replaceState(null, '', `/map?${query}`);
    const list = new URLSearchParams({ lat: view.lat, lng: view.lng });
    if (state.month) list.set('month', state.month);
    if (state.category) list.set('category', state.category);
    document.getElementById('list-view-link').href = `/map/list?${list}`;
    document.getElementById('radius-link').href = `/area?lat=${view.lat}&lng=${view.lng}&radius=1`;
    for (const name of ['lat', 'lng']) {
      const input = document.querySelector(`#map-filters input[name="${name}"]`);
      if (input) input.value = view[name];
    }
  }

  map.on('click', 'points', (event) => {
    if (drawing.active) return;
    const id = event.features?.[0]?.properties?.locationId;
    if (id !== undefined) select(Number(id));
  });
  map.on('click', 'clusters', (event) => {
    if (drawing.active) return;
    const feature = event.features?.[0];
    if (feature) map.easeTo({ center: feature.geometry.coordinates, zoom: feature.properties.expansionZoom });
  });
  for (const layer of ['points', 'clusters']) {
    map.on('mouseenter', layer, () => { if (!drawing.active) map.getCanvas().style.cursor = 'pointer'; });
    map.on('mouseleave', layer, () => { map.getCanvas().style.cursor = drawing.active ? 'crosshair' : ''; });
  }
  map.on('load', () => {
    el.dataset.mapLoaded = 'true';
    refresh();
  });
  map.on('moveend', () => {
    saveState();
    if (map.loaded() || el.dataset.mapLoaded) refresh();
  });

  // The filters refilter the map in place instead of opening the list view.
  document.getElementById('map-filters')?.addEventListener('submit', (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    state.month = String(form.get('month') ?? '');
    state.category = form.get('category') === 'all-crime' ? '' : String(form.get('category') ?? '');
    state.shownMonth = state.month || state.shownMonth;
    const monthSelect = document.getElementById('month');
    const categorySelect = document.getElementById('category');
    const monthText = monthSelect?.selectedOptions[0]?.textContent ?? '';
    document.getElementById('map-caption').textContent = `${categorySelect?.selectedOptions[0]?.textContent ?? 'All crime'} in ${monthText}`;
    map.setFilter('selected', ['==', ['get', 'locationId'], -1]);
    document.getElementById('map-panel-body').replaceChildren(paragraph('Select a point on the map, or a place from the list, to see every crime there.'));
    saveState();
    refresh();
  });
}

/** "On or near Albert Lane", whether or not the data already starts so. */
function placeName(street) {
  const bare = String(street ?? '').replace(/^on or near\s+/i, '').trim();
  return bare === '' ? 'An unnamed place' : `On or near ${bare}`;
}

function paragraph(text) {
  const p = document.createElement('p');
  p.className = 'govuk-body';
  p.textContent = text;
  return p;
}
