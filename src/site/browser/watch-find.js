// Neighbourhood Watch maps: the schemes near a place (or one scheme) drawn as
// circles, never their exact areas, and "Use my location" for the search form.
// The pages work without this script: the schemes are listed beside the map.
const maplibregl = window.maplibregl;
const el = document.getElementById('watch-map');

function circle(lng, lat, metres, sides = 48) {
  const dLat = metres / 111195;
  const dLng = dLat / Math.cos((lat * Math.PI) / 180);
  const ring = [];
  for (let i = 0; i <= sides; i++) {
    const t = (2 * Math.PI * i) / sides;
    ring.push([lng + dLng * Math.cos(t), lat + dLat * Math.sin(t)]);
  }
  return ring;
}

function start(container) {
  let schemes;
  try {
    schemes = JSON.parse(container.dataset.schemes || '[]');
  } catch {
    return;
  }
  const outer = container.parentElement;
  if (outer?.classList.contains('app-map--small')) {
    outer.style.height = '320px';
    outer.style.minHeight = '320px';
  }
  container.replaceChildren();
  const centre = [Number(container.dataset.lng), Number(container.dataset.lat)];
  const features = schemes.map((s) => ({
    type: 'Feature',
    properties: { id: s.id, name: s.name, href: s.href },
    geometry: { type: 'Polygon', coordinates: [circle(s.lng, s.lat, s.radius)] },
  }));
  const map = new maplibregl.Map({
    container,
    center: centre,
    zoom: 13,
    maxZoom: 16,
    attributionControl: { compact: false },
    style: {
      version: 8,
      sources: {
        basemap: { type: 'raster', tiles: [container.dataset.tileUrl], tileSize: 256, maxzoom: 19, attribution: container.dataset.tileAttribution },
        schemes: { type: 'geojson', data: { type: 'FeatureCollection', features } },
        searched: { type: 'geojson', data: { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: centre } } },
      },
      layers: [
        { id: 'background', type: 'background', paint: { 'background-color': '#f3f2f1' } },
        { id: 'basemap', type: 'raster', source: 'basemap' },
        { id: 'schemes-fill', type: 'fill', source: 'schemes', paint: { 'fill-color': '#1d70b8', 'fill-opacity': 0.2 } },
        { id: 'schemes-line', type: 'line', source: 'schemes', paint: { 'line-color': '#1d70b8', 'line-width': 2 } },
        { id: 'searched', type: 'circle', source: 'searched', paint: { 'circle-color': '#d4351c', 'circle-radius': 6, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 } },
      ],
    },
  });
  window.appMap = map;
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.getCanvas().setAttribute('aria-label', 'Map of Neighbourhood Watch schemes, drawn as circles. The schemes are also listed on this page.');
  map.on('error', (event) => {
    if (event.sourceId === 'basemap' || (event.tile && event.source?.id === 'basemap')) {
      document.getElementById('basemap-unavailable')?.removeAttribute('hidden');
      map.triggerRepaint();
    }
  });
  if (features.length > 0) {
    const bounds = new maplibregl.LngLatBounds(centre, centre);
    for (const f of features) for (const c of f.geometry.coordinates[0]) bounds.extend(c);
    map.fitBounds(bounds, { padding: 30, duration: 0, maxZoom: 15 });
  }
  map.on('click', 'schemes-fill', (event) => {
    const href = event.features?.[0]?.properties?.href;
    if (typeof href === 'string' && href.startsWith('/watch/schemes/')) window.location.assign(href);
  });
  map.on('load', () => {
    container.dataset.mapLoaded = 'true';
  });
}

if (el && maplibregl) start(el);

const locate = document.getElementById('watch-use-my-location');
if (locate && 'geolocation' in navigator) {
  locate.closest('.app-js-only')?.removeAttribute('hidden');
  locate.addEventListener('click', () => {
    locate.disabled = true;
    locate.textContent = 'Finding your location…';
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const { latitude, longitude } = position.coords;
        window.location.assign(`/watch?q=${latitude.toFixed(5)},${longitude.toFixed(5)}`);
      },
      () => {
        locate.disabled = false;
        locate.textContent = 'Use my location';
        const message = document.createElement('p');
        message.className = 'govuk-error-message';
        message.textContent = 'We could not get your location. Type your postcode instead.';
        locate.after(message);
      },
      { timeout: 10000 },
    );
  });
}
