namespace HealthGen.Checks.Pkcs11;

/// <summary>
/// Which HSM token the readiness check watches. Bound from the configuration section <c>"Hsm"</c>
/// (<c>Hsm__Module</c>, <c>Hsm__TokenLabel</c>, <c>Hsm__SlotId</c>, <c>Hsm__Pin</c> as environment
/// variables), so the same image can point at SoftHSM2 in development and a network HSM in production.
/// </summary>
public sealed class Pkcs11Options
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Hsm";

    /// <summary>
    /// Absolute path of the vendor's PKCS#11 module (e.g. <c>/usr/lib/softhsm/libsofthsm2.so</c>).
    /// Absolute, so what is loaded never depends on the working directory or the loader's search path.
    /// A path that does not exist yet is not a start-up error: HSM clients are often mounted into the
    /// container later, and until then the probe reports "module not found".
    /// </summary>
    public string? Module { get; set; }

    /// <summary>
    /// The token's label. Preferred over <see cref="SlotId"/>: labels are chosen by people and survive
    /// re-plugging and re-numbering, while many modules (SoftHSM2 among them) assign slot ids themselves.
    /// </summary>
    public string? TokenLabel { get; set; }

    /// <summary>The slot to watch, for modules whose slots are fixed and whose tokens have no useful label.</summary>
    public ulong? SlotId { get; set; }

    /// <summary>
    /// The user PIN. When set, the probe also opens a session and logs in, which proves the credentials
    /// the application will use still work (a PIN can be changed, expire or get locked). Never appears in
    /// any probe description. Bind it from a secret, not from appsettings.json.
    /// </summary>
    /// <remarks>
    /// Leave it unset when the application logs in to the token with its own PKCS#11 client in the same
    /// process. Login state is per process: while the check is logged in, the application's C_Login answers
    /// CKR_USER_ALREADY_LOGGED_IN, and the check's C_Logout logs the application out too. The check steps aside
    /// when it can tell (the token is already logged in; another client initialized the module, finalized it,
    /// or paused the probes), but it cannot see a client that initialized after it and logs in for the first
    /// time at the same instant. Without a PIN the probe opens no session and cannot change any login state
    /// (docs/checks.md, "Login").
    /// </remarks>
    public string? Pin { get; set; }
}
