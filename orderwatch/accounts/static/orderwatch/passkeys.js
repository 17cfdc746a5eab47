// Passkey pages: django-otp-webauthn's own script (from the package) asks the browser for the
// passkey and tells the server; this turns what happened into GOV.UK pages. Without JavaScript
// the page says so and offers the authenticator code instead.
const ceremony = document.querySelector("[data-passkey-ceremony]");

function showProblem(message) {
  document.querySelector("[data-testid='passkey-error-summary']")?.remove();
  const template = document.getElementById("passkey-error-summary-template");
  const summary = template.content.firstElementChild.cloneNode(true);
  summary.querySelector("a").textContent = message;
  const heading = document.querySelector("main h1");
  heading.parentElement.insertBefore(summary, heading);
  if (!document.title.startsWith("Error: ")) {
    document.title = `Error: ${document.title}`;
  }
  summary.focus();
}

function failed(event) {
  // An error is the browser or the person saying no; otherwise the server did not accept it.
  const refused = Boolean(event.detail && event.detail.error);
  showProblem(refused ? ceremony.dataset.errorRefused : ceremony.dataset.errorNotAccepted);
}

if (ceremony) {
  ceremony.addEventListener("otp_webauthn.register_failed", failed);
  ceremony.addEventListener("otp_webauthn.verification_failed", failed);
  ceremony.addEventListener("otp_webauthn.register_complete", () => {
    window.location.assign(ceremony.dataset.successUrl);
  });
}
