// Passkeys: the WebAuthn ceremonies of the login, second-step and passkeys pages. Each
// page marks a block with data-passkey ("sign-in" or "register") and the two JSON calls
// around the browser's part (data-start, data-finish); the block stays hidden without
// this script or without WebAuthn, and the password and code forms work as before. The
// block's data-cancelled and data-failed hold what to say, in the page's language.
(() => {
  "use strict";
  if (!window.PublicKeyCredential) return;
  const failed = document.querySelector("[data-passkey]")?.dataset.failed || "Something went wrong. Try again.";

  // The options and credentials travel as JSON with base64url for binary fields.
  const toBytes = (text) =>
    Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0)).buffer;
  const toText = (buffer) =>
    btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const withIds = (list) => (list || []).map((item) => ({ ...item, id: toBytes(item.id) }));

  const creationOptions = ({ publicKey: o }) => ({
    ...o,
    challenge: toBytes(o.challenge),
    user: { ...o.user, id: toBytes(o.user.id) },
    excludeCredentials: withIds(o.excludeCredentials),
  });

  const requestOptions = ({ publicKey: o }) => ({
    ...o,
    challenge: toBytes(o.challenge),
    allowCredentials: withIds(o.allowCredentials),
  });

  const registration = (credential) => ({
    id: credential.id,
    rawId: toText(credential.rawId),
    type: credential.type,
    response: {
      attestationObject: toText(credential.response.attestationObject),
      clientDataJSON: toText(credential.response.clientDataJSON),
      transports: credential.response.getTransports ? credential.response.getTransports() : [],
    },
    clientExtensionResults: credential.getClientExtensionResults(),
  });

  const assertion = (credential) => ({
    id: credential.id,
    rawId: toText(credential.rawId),
    type: credential.type,
    response: {
      authenticatorData: toText(credential.response.authenticatorData),
      clientDataJSON: toText(credential.response.clientDataJSON),
      signature: toText(credential.response.signature),
      userHandle: credential.response.userHandle ? toText(credential.response.userHandle) : null,
    },
    clientExtensionResults: credential.getClientExtensionResults(),
  });

  // A POST to this site; a refusal's problem+json detail becomes the error's message.
  async function call(url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(answer.detail || answer.title || failed);
    return answer;
  }

  async function register(block) {
    const options = await call(block.dataset.start, {});
    const credential = await navigator.credentials.create({ publicKey: creationOptions(options) });
    const name = block.querySelector("input[name=name]").value;
    return call(block.dataset.finish, { ...registration(credential), name });
  }

  // `mediation` "conditional" offers the passkeys in the email field's autofill instead
  // of a dialog; `signal` lets the button take over from that offer.
  async function signIn(block, mediation, signal) {
    const options = await call(block.dataset.start, {});
    const credential = await navigator.credentials.get({ publicKey: requestOptions(options), mediation, signal });
    const remember = document.getElementById("remember");
    const where = { next: block.dataset.next || "", rd: block.dataset.rd || "", remember: !!(remember && remember.checked) };
    return call(block.dataset.finish, { ...assertion(credential), ...where });
  }

  // The login page's passkeys in the browser's autofill (data-autofill), where the
  // browser can: picking one signs in as the button does. Browsers without conditional
  // mediation keep the button alone.
  let autofill = null;
  async function offerInAutofill(block) {
    const able = PublicKeyCredential.isConditionalMediationAvailable;
    if (!("autofill" in block.dataset) || !able || !(await able.call(PublicKeyCredential))) return;
    autofill = new AbortController();
    try {
      const done = await signIn(block, "conditional", autofill.signal);
      window.location.assign(done.redirect);
    } catch (error) {
      // Aborted for the button, or a refusal the button will meet and explain too.
    }
  }

  for (const block of document.querySelectorAll("[data-passkey]")) {
    const button = block.querySelector("button");
    const status = block.querySelector("[data-passkey-status]");
    block.hidden = false;
    offerInAutofill(block);
    button.addEventListener("click", async () => {
      button.disabled = true;
      status.hidden = true;
      if (autofill) autofill.abort();
      autofill = null;
      try {
        const done = await (block.dataset.passkey === "register" ? register(block) : signIn(block));
        window.location.assign(done.redirect);
      } catch (error) {
        // The browser's own refusals (cancelled, timed out, no passkey here) share one name.
        status.textContent =
          error.name === "NotAllowedError" ? block.dataset.cancelled || "No passkey was used." : error.message;
        status.hidden = false;
        button.disabled = false;
        offerInAutofill(block);
      }
    });
  }
})();
