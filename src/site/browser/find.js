// "Use my location": asks the browser for the position and searches for it as
// coordinates. Without JavaScript, people type a postcode or coordinates instead.
const button = document.getElementById('use-my-location');
if (button && 'geolocation' in navigator) {
  button.closest('.app-js-only')?.removeAttribute('hidden');
  button.addEventListener('click', () => {
    button.disabled = true;
    button.textContent = 'Finding your location…';
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const { latitude, longitude } = position.coords;
        window.location.assign(`/find?q=${latitude.toFixed(5)},${longitude.toFixed(5)}`);
      },
      () => {
        button.disabled = false;
        button.textContent = 'Use my location';
        const message = document.createElement('p');
        message.className = 'govuk-error-message';
        message.textContent = 'We could not get your location. Type your postcode instead.';
        button.after(message);
      },
      { timeout: 10000 },
    );
  });
}
