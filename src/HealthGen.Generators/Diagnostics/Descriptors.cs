using Microsoft.CodeAnalysis;

namespace HealthGen.Generators.Diagnostics;

/// <summary>Every diagnostic HealthGen reports. Each help link points to the rule's page under docs/diagnostics.</summary>
internal static class Descriptors
{
    public const string Category = "HealthGen";
    private const string HelpLinkBase = "https://github.com/healthgen/healthgen/blob/main/docs/diagnostics/";

    public static readonly DiagnosticDescriptor LivenessExternalDependency = Create(
        DiagnosticIds.LivenessExternalDependency,
        "Liveness check depends on an external dependency",
        "Liveness check '{0}' reaches {1} via {2}: a liveness probe that fails when a dependency is down restarts every pod; make it a readiness check",
        DiagnosticSeverity.Warning,
        "A failing liveness probe makes Kubernetes restart the container. When it fails because a database, directory, HSM or remote service is down, every replica restarts at once and an outage of the dependency becomes an outage of the service. Check dependencies in readiness checks.");

    public static readonly DiagnosticDescriptor UnsupportedSignature = Create(
        DiagnosticIds.UnsupportedSignature,
        "Unsupported check method signature",
        "Check method '{0}' cannot be called by the generated code: {1}",
        DiagnosticSeverity.Error,
        "Check methods return void, bool, HealthResult, Task, Task<bool>, Task<HealthResult>, ValueTask, ValueTask<bool> or ValueTask<HealthResult>, are not generic or async void, take no ref, out, in or params parameters, and are static or instance methods of a class.");

    public static readonly DiagnosticDescriptor UnsuppliableParameter = Create(
        DiagnosticIds.UnsuppliableParameter,
        "Check parameter cannot be supplied",
        "Parameter '{0}' of check method '{1}' cannot be supplied: {2}",
        DiagnosticSeverity.Error,
        "The generated code supplies a CancellationToken, the execution's IServiceProvider, or services resolved from a DI scope (optionally keyed). Primitives, strings, structs and arrays cannot come from the container.");

    public static readonly DiagnosticDescriptor DuplicateCheckName = Create(
        DiagnosticIds.DuplicateCheckName,
        "Duplicate check name",
        "{0} check name '{1}' is used by more than one method ({2}): names must be unique per probe",
        DiagnosticSeverity.Error,
        "Every check of one probe (and every resolver of one kind) needs its own name: it is a property of the probe's JSON body and a path segment of the single-check endpoint.",
        WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor UnreachableCheck = Create(
        DiagnosticIds.UnreachableCheck,
        "Check method is not reachable from generated code",
        "Check method '{0}' cannot be called by the generated code: {1}",
        DiagnosticSeverity.Error,
        "The generated code calls check methods directly, so the method and every type around it must be public or internal, not file-local, not generic, and not a local function.");

    public static readonly DiagnosticDescriptor BlockingWait = Create(
        DiagnosticIds.BlockingWait,
        "Blocking wait inside a check",
        "Check '{0}' blocks a thread with {1}: await instead",
        DiagnosticSeverity.Warning,
        "A check that blocks a thread pool thread cannot be cancelled by its timeout and, under a probe storm, starves the thread pool the whole service runs on. Await asynchronous work instead.");

    public static readonly DiagnosticDescriptor MissingCancellationToken = Create(
        DiagnosticIds.MissingCancellationToken,
        "Check does not pass its CancellationToken",
        "Check '{0}' awaits {1} without passing a CancellationToken: the call keeps running after the check timed out",
        DiagnosticSeverity.Warning,
        "A check's CancellationToken is cancelled when the check times out, the request is aborted or the application stops. Calls that do not receive it keep holding connections and threads after the probe has already answered.");

    public static readonly DiagnosticDescriptor InvalidCheckAttribute = Create(
        DiagnosticIds.InvalidCheckAttribute,
        "Invalid check name or attribute value",
        "Invalid [{0}] on '{1}': {2}",
        DiagnosticSeverity.Error,
        "Check names and resolver kinds match ^[a-z0-9][a-z0-9_.-]{0,62}$ and are not 'status' or 'checks'; TimeoutMs is greater than zero; CacheMs and PeriodMs are not negative; FailureThreshold is at least 1; DependsOn names other checks by valid names; a resolver check has a name and a Kind.");

    public static readonly DiagnosticDescriptor ConflictingCheckAttributes = Create(
        DiagnosticIds.ConflictingCheckAttributes,
        "Conflicting check attributes",
        "'{0}' is both a liveness check and a {1} check: a liveness check must not share its logic with checks that look at dependencies",
        DiagnosticSeverity.Warning,
        "A method that is a liveness check and also a readiness, startup or resolver check either checks dependencies (wrong for liveness) or checks nothing of them (useless for readiness). Readiness together with startup or resolver is allowed.");

    public static readonly DiagnosticDescriptor UnknownCheckDependency = Create(
        DiagnosticIds.UnknownCheckDependency,
        "Unknown check dependency",
        "Check '{0}' depends on '{1}', but {2} has no check of that name: a dependency is a check of the same probe (for resolvers, of the same kind), in this project or a referenced one",
        DiagnosticSeverity.Error,
        "A check runs only while the checks it depends on pass. A dependency that names no check of the same probe (of the same kind, for resolvers) could never pass, so the check would never run and always be reported \"unchecked\". The name is looked up among the checks of this project and those of referenced assemblies built with HealthGen.",
        WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor CheckDependencyCycle = Create(
        DiagnosticIds.CheckDependencyCycle,
        "Check dependency cycle",
        "Check '{0}' depends on itself through its dependencies ({1}): no check of the cycle could ever run",
        DiagnosticSeverity.Error,
        "A check runs only after the checks it depends on have passed. When the dependencies lead back to the check, each check of the cycle waits for another and none of them ever runs. Every check of the cycle declared in this project gets this diagnostic, on the dependency that continues the cycle.",
        WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor CacheOnBackgroundCheck = Create(
        DiagnosticIds.CacheOnBackgroundCheck,
        "CacheMs on a background check",
        "Check '{0}' runs in the background (PeriodMs = {1}), so its CacheMs has no effect: probes read its last result; remove CacheMs",
        DiagnosticSeverity.Warning,
        "A background check (PeriodMs greater than zero) runs on its own schedule and probes answer with its last result; they never run it, so there is nothing to cache. CacheMs is ignored for such a check; PeriodMs says how old its result may get.");

    private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity, string description, params string[] tags)
        => new(id, title, message, Category, severity, isEnabledByDefault: true, description: description, helpLinkUri: HelpLinkBase + id + ".md", customTags: tags);
}
