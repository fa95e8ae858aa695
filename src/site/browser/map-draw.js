// Drawing an area on the crime map: click to add corners, or, with a keyboard,
// move the map and add its centre (marked by a circle) as a corner. Finishing
// opens /area with the polygon, where the server checks it and explains any problem.

const MIN_CORNERS = 3;

export function createDrawing(map, { onStatus }) {
  const corners = [];
  const button = (id) => document.getElementById(id);
  const crosshair = button('map-crosshair');
  const drawing = { active: false };

  function redraw() {
    const features = corners.map((c) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: c } }));
    if (corners.length >= MIN_CORNERS) {
      features.unshift({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[...corners, corners[0]]] } });
    } else if (corners.length === 2) {
      features.unshift({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: corners } });
    }
    map.getSource('drawn')?.setData({ type: 'FeatureCollection', features });
    button('draw-undo').hidden = !drawing.active || corners.length === 0;
    button('draw-finish').hidden = !drawing.active || corners.length < MIN_CORNERS;
  }

  function say() {
    const n = corners.length;
    onStatus(
      n === 0
        ? 'Drawing: click on the map, or select Add a corner at the centre of the map, to add the first corner.'
        : `${n} ${n === 1 ? 'corner' : 'corners'} added.${n < MIN_CORNERS ? ` Add at least ${MIN_CORNERS - n} more.` : ' Add more, or select Show statistics for this area.'}`,
    );
  }

  function add(lngLat) {
    corners.push([Number(lngLat.lng.toFixed(6)), Number(lngLat.lat.toFixed(6))]);
    redraw();
    say();
  }

  function setActive(active) {
    drawing.active = active;
    button('draw-start').hidden = active;
    for (const id of ['draw-add-centre', 'draw-cancel']) button(id).hidden = !active;
    if (crosshair) crosshair.hidden = !active;
    map.getCanvas().style.cursor = active ? 'crosshair' : '';
    if (!active) corners.length = 0;
    redraw();
  }

  map.on('click', (event) => {
    if (drawing.active) add(event.lngLat);
  });
  button('draw-start')?.addEventListener('click', () => {
    setActive(true);
    say();
    button('draw-add-centre').focus();
  });
  button('draw-add-centre')?.addEventListener('click', () => add(map.getCenter()));
  button('draw-undo')?.addEventListener('click', () => {
    corners.pop();
    redraw();
    say();
  });
  button('draw-cancel')?.addEventListener('click', () => {
    setActive(false);
    onStatus('Drawing stopped.');
    button('draw-start').focus();
  });
  button('draw-finish')?.addEventListener('click', () => {
    if (corners.length < MIN_CORNERS) return;
    const poly = corners.map(([lng, lat]) => `${lat},${lng}`).join(':');
    // Corners are digits, dots, minus signs, commas and colons: nothing to escape.
    window.location.assign(`/area?poly=${poly}`);
  });
  return drawing;
}
