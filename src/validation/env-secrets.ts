// Environment secrets: the values of secret-named environment variables (for redaction and the no-secrets check).

/** Variable names whose values are treated as secrets. */
export const SECRET_ENV_NAME =
  /(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|AUTH|PRIVATE|SESSION|COOKIE|SIGNATURE|SALT|DSN|CERT|_PASS$|_PWD$)/i;

/** Secret-looking names whose values are not secrets (PWD is the working directory). */
export const NOT_SECRET_NAMES: ReadonlySet<string> = new Set([
  "PWD",
  "OLDPWD",
  "SSH_AUTH_SOCK",
  "XDG_SESSION_TYPE",
  "XDG_SESSION_CLASS",
  "XDG_SESSION_DESKTOP",
]);

const TRIVIAL_VALUE = /^(?:true|false|yes|no|on|off|none|null|undefined|\d{1,6})$/i;

/** Values of secret-named environment variables, with the variable names, longest first. */
export function secretEnvValues(env: Record<string, string | undefined>): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || NOT_SECRET_NAMES.has(name.toUpperCase()) || !SECRET_ENV_NAME.test(name)) continue;
    const v = value.trim();
    if (v.length < 6 || TRIVIAL_VALUE.test(v)) continue;
    out.push({ name, value: v });
  }
  return out.sort((a, b) => b.value.length - a.value.length);
}
