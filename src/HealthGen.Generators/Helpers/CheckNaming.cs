using System.Text;

namespace HealthGen.Generators.Helpers;

/// <summary>
/// The naming rules of design.md §2, shared by the generator and the analyzers so that they agree on
/// what is valid: <c>^[a-z0-9][a-z0-9_.-]{0,62}$</c>, not a reserved body property, and a default name
/// that is the snake_case of the method name.
/// </summary>
internal static class CheckNaming
{
    public const int MaxLength = 63;
    private const string AsyncSuffix = "Async";

    public static bool IsValid(string? name)
    {
        if (name is null || name.Length == 0 || name.Length > MaxLength || !IsLowerAlphanumeric(name[0]))
        {
            return false;
        }

        for (int i = 1; i < name.Length; i++)
        {
            char c = name[i];
            if (!IsLowerAlphanumeric(c) && c != '_' && c != '.' && c != '-')
            {
                return false;
            }
        }

        return !IsReserved(name);
    }

    /// <summary>Names that collide with properties every probe body has.</summary>
    public static bool IsReserved(string name) => name == "status" || name == "checks";

    /// <summary>
    /// snake_case of a method name, without an "Async" suffix: <c>Process</c> → <c>process</c>,
    /// <c>DatabasePingAsync</c> → <c>database_ping</c>, <c>HTTPServer</c> → <c>http_server</c>, <c>Ldap1</c> → <c>ldap1</c>.
    /// </summary>
    public static string DefaultName(string methodName)
    {
        string name = methodName.Length > AsyncSuffix.Length && methodName.EndsWith(AsyncSuffix, System.StringComparison.Ordinal)
            ? methodName.Substring(0, methodName.Length - AsyncSuffix.Length)
            : methodName;

        var builder = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c))
            {
                bool previousIsLowerOrDigit = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]));
                bool endsAcronym = i > 0 && char.IsUpper(name[i - 1]) && i + 1 < name.Length && char.IsLower(name[i + 1]);
                if ((previousIsLowerOrDigit || endsAcronym) && builder.Length > 0 && builder[builder.Length - 1] != '_')
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static bool IsLowerAlphanumeric(char c) => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
