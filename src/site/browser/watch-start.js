// Starting a scheme: draw its area on the map. Each click (or "Add a corner at
// the centre of the map", for keyboard users) adds a corner, and the corners go
// into the "Corners of the area" box, which the server reads and checks. Without
// this script people type the corners or give a postcode instead.
const maplibregl = window.maplibregl;
const el = document.getElementById('watch-start-map');
const field = document.getElementById('poly');
const MIN_CORNERS = 3;

function start(container) {
  document.getElementById('watch-draw')?.removeAttribute('hidden');
  const button = (id) => document.getElementById(id);
  const status = button('watch-draw-status');
  const crosshair = button('watch-draw-crosshair');
  const corners = [];
  let active = false;

  // Corners already in the box (after a server error) are shown and can be added to.
  for (const line of (field?.value ?? '').split(/[\n:;]+/)) {
    const [lat, lng] = line.split(',').map((v) => Number(v.trim()));
    if (Number.isFinite(lat) && Number.isFinite(lng) && line.includes(',')) corners.push([lng, lat]);
  }

  const map = new maplibregl.Map({
    container,
    center: corners[0] ?? [Number(container.dataset.lng), Number(container.dataset.lat)],
    zoom: corners.length ? 15 : Number(container.dataset.zoom),
    maxZoom: 18,
    attributionControl: { compact: false },
    style: {
      version: 8,
      sources: {
        basemap: { type: 'raster', tiles: [container.dataset.tileUrl], tileSize: 256, maxzoom: 19, attribution: container.dataset.tileAttribution },
        boundaries: { type: 'geojson', data: '/map-data/neighbourhoods.geojson' },
        drawn: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
      },
      layers: [
        { id: 'background', type: 'background', paint: { 'background-color': '#f3f2f1' } },
        { id: 'basemap', type: 'raster', source: 'basemap' },
        { id: 'boundaries-line', type: 'line', source: 'boundaries', paint: { 'line-color': '#1d3557', 'line-width': 2, 'line-dasharray': [3, 2] } },
        { id: 'drawn-fill', type: 'fill', source: 'drawn', filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': '#ffdd00', 'fill-opacity': 0.3 } },
        { id: 'drawn-line', type: 'line', source: 'drawn', filter: ['!=', ['geometry-type'], 'Point'], paint: { 'line-color': '#0b0c0c', 'line-width': 3 } },
        { id: 'drawn-corners', type: 'circle', source: 'drawn', filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-color': '#0b0c0c', 'circle-radius': 5, 'circle-stroke-color': '#ffdd00', 'circle-stroke-width': 2 } },
      ],
    },
  });
  window.appMap = map;
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.getCanvas().setAttribute('aria-label', 'Map for drawing the scheme’s area. Use the arrow keys to move and plus or minus to zoom.');
  map.on('error', (event) => {
    if (event.sourceId === 'basemap' || (event.tile && event.source?.id === 'basemap')) {
      document.getElementById('basemap-unavailable')?.removeAttribute('hidden');
      map.triggerRepaint();
    }
  });

  function redraw() {
    const features = corners.map((c) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: c } }));
    if (corners.length >= MIN_CORNERS) features.unshift({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[...corners, corners[0]]] } });
    else if (corners.length === 2) features.unshift({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: corners } });
    map.getSource('drawn')?.setData({ type: 'FeatureCollection', features });
    if (field) field.value = corners.map(([lng, lat]) => `${lat},${lng}`).join('\n');
    button('watch-draw-undo').hidden = !active || corners.length === 0;
    button('watch-draw-clear').hidden = corners.length === 0;
    const n = corners.length;
    status.textContent = !active && n === 0 ? '' : `${n} ${n === 1 ? 'corner' : 'corners'} drawn.${n < MIN_CORNERS ? ` Add at least ${MIN_CORNERS - n} more.` : ' Add more, or carry on with the form below.'}`;
  }

  function setActive(on) {
    active = on;
    button('watch-draw-start').hidden = on;
    button('watch-draw-add-centre').hidden = !on;
    if (crosshair) crosshair.hidden = !on;
    map.getCanvas().style.cursor = on ? 'crosshair' : '';
    redraw();
  }

  function add(lngLat) {
    corners.push([Number(lngLat.lng.toFixed(6)), Number(lngLat.lat.toFixed(6))]);
    redraw();
  }

  map.on('load', () => {
    container.dataset.mapLoaded = 'true';
    redraw();
  });
  map.on('click', (event) => {
    if (active) add(event.lngLat);
  });
  button('watch-draw-start').addEventListener('click', () => {
    setActive(true);
    button('watch-draw-add-centre').focus();
  });
  button('watch-draw-add-centre').addEventListener('click', () => add(map.getCenter()));
  button('watch-draw-undo').addEventListener('click', () => {
    corners.pop();
    redraw();
  });
  button('watch-draw-clear').addEventListener('click', () => {
    corners.length = 0;
    setActive(false);
    button('watch-draw-start').focus();
  });
}

if (el && maplibregl) start(el);
