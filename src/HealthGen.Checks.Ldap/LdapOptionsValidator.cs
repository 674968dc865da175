using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.Extensions.Options;

namespace HealthGen.Checks.Ldap;

/// <summary>
/// Rejects resolver settings that can never work at start-up (with <c>ValidateOnStart</c>), naming the
/// configuration key, instead of letting a resolver probe fail for a typo hours later. Messages never repeat
/// a URL, bind DN or password.
/// </summary>
internal sealed class LdapOptionsValidator : IValidateOptions<LdapOptions>
{
    public ValidateOptionsResult Validate(string? name, LdapOptions options)
    {
        List<string> problems = FindProblems(options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    internal static List<string> FindProblems(LdapOptions options)
    {
        var problems = new List<string>();
        foreach ((string name, LdapResolverOptions? resolver) in options.Resolvers)
        {
            string key = $"{LdapOptions.SectionName}:Resolvers:{name}";
            if (!IsValidResolverName(name))
            {
                problems.Add($"{key} is not a valid resolver name: names must match ^[a-z0-9][a-z0-9_.-]{{0,62}}$ (lower case), because they become check names in probe responses and paths.");
            }

            if (resolver is null)
            {
                problems.Add($"{key}:Url is required (environment variable {EnvironmentName(key)}__Url).");
                continue;
            }

            FindProblems(key, resolver, problems);
        }

        return problems;
    }

    private static void FindProblems(string key, LdapResolverOptions resolver, List<string> problems)
    {
        bool urlValid = LdapTarget.TryParseUrl(resolver.Url, out Uri? uri, out string? urlProblem);
        if (!urlValid)
        {
            string hint = string.IsNullOrWhiteSpace(resolver.Url) ? $" (environment variable {EnvironmentName(key)}__Url)" : string.Empty;
            problems.Add($"{key}:Url {urlProblem}{hint}.");
        }

        bool ldaps = urlValid && string.Equals(uri!.Scheme, "ldaps", StringComparison.Ordinal);
        if (ldaps && resolver.StartTls)
        {
            problems.Add($"{key}:StartTls cannot be combined with an ldaps:// Url: ldaps:// is encrypted from the first byte. Use ldap:// with StartTls, or ldaps:// without it.");
        }

        if (resolver.TimeoutMs <= 0)
        {
            problems.Add($"{key}:TimeoutMs must be greater than zero (was {resolver.TimeoutMs}).");
        }

        bool hasBindDn = !string.IsNullOrWhiteSpace(resolver.BindDn);
        bool hasPassword = !string.IsNullOrEmpty(resolver.Password);
        if (hasBindDn && !hasPassword)
        {
            problems.Add($"{key}:Password is required when BindDn is set: a bind DN with an empty password is an unauthenticated bind, which directories refuse or treat as anonymous (environment variable {EnvironmentName(key)}__Password).");
        }
        else if (!hasBindDn && hasPassword)
        {
            problems.Add($"{key}:Password is set but BindDn is not: the check would bind anonymously and never use the password.");
        }

        bool usesTls = ldaps || resolver.StartTls;
        if (!resolver.ValidateCertificate && usesTls && !OperatingSystem.IsWindows())
        {
            problems.Add($"{key}:ValidateCertificate=false is not supported on this platform: System.DirectoryServices.Protocols over OpenLDAP cannot turn certificate validation off for one connection. Trust the server's CA with {key}:TrustedCertificatesDirectory instead.");
        }

        if (!string.IsNullOrWhiteSpace(resolver.TrustedCertificatesDirectory))
        {
            if (OperatingSystem.IsWindows())
            {
                problems.Add($"{key}:TrustedCertificatesDirectory is not supported on Windows: import the CA into the Windows certificate store instead.");
            }
            else if (!Directory.Exists(resolver.TrustedCertificatesDirectory))
            {
                problems.Add($"{key}:TrustedCertificatesDirectory '{resolver.TrustedCertificatesDirectory}' does not exist or is not a directory.");
            }
        }
    }

    /// <summary>Resolver names become check names: the rule of <see cref="CheckNames"/> (the runtime's own file, linked).</summary>
    internal static bool IsValidResolverName(string? name) => CheckNames.IsValid(name) && !CheckNames.IsReserved(name!);

    private static string EnvironmentName(string key) => key.Replace(":", "__", StringComparison.Ordinal);
}
