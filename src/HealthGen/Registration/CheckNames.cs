namespace HealthGen;

/// <summary>
/// The rule for check names and resolver kinds: <c>^[a-z0-9][a-z0-9_.-]{0,62}$</c>. Such names are safe as
/// URL path segments and JSON property names without escaping.
/// </summary>
/// <remarks>
/// The one copy of the rule: this file is compiled into the runtime (the guard for hand-built registrations), the
/// generator (HG0008 at compile time, netstandard2.0) and the LDAP check (resolver names from configuration).
/// </remarks>
internal static class CheckNames
{
    public const int MaxLength = 63;

    /// <summary>
    /// Names that would collide with the properties a probe body already has (<c>"status"</c>, and
    /// <c>"checks"</c> and <c>"warnings"</c> of verbose answers).
    /// </summary>
    public static bool IsReserved(string name) => name is "status" or "checks" or "warnings";

    public static bool IsValid(string? name)
    {
        if (name is null || name.Length == 0 || name.Length > MaxLength || !IsLowerAlphanumeric(name[0]))
        {
            return false;
        }

        for (int i = 1; i < name.Length; i++)
        {
            char c = name[i];
            if (!IsLowerAlphanumeric(c) && c is not ('_' or '.' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsLowerAlphanumeric(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9');
}
