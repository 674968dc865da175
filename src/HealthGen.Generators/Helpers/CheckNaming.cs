using System.Text;
using HealthGen;

namespace HealthGen.Generators.Helpers;

/// <summary>
/// The naming rules of docs/getting-started.md, shared by the generator and the analyzers so that they agree on
/// what is valid: <see cref="CheckNames"/>' rule (the runtime's own file, linked), not a reserved body property, and
/// a default name that is the snake_case of the method name.
/// </summary>
internal static class CheckNaming
{
    private const string AsyncSuffix = "Async";

    /// <summary>A name a check may have: the rule of <see cref="CheckNames"/>, and not a property every probe body has.</summary>
    public static bool IsValid(string? name) => CheckNames.IsValid(name) && !CheckNames.IsReserved(name!);

    /// <inheritdoc cref="CheckNames.IsReserved"/>
    public static bool IsReserved(string name) => CheckNames.IsReserved(name);

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

}
