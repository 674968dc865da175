using System.Collections.Generic;
using System.Linq;
using System.Text;
using HealthGen.Generators.Helpers;
using HealthGen.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace HealthGen.Generators;

public sealed partial class HealthProbeGenerator
{
    /// <summary>
    /// Writes the generated sources from a <see cref="GenerationSpec"/>: the assembly's check catalog, the
    /// <c>MapHealthGen</c> extension that composes it with the catalogs of referenced assemblies, and the
    /// JSON serializer context. The output is meant to be read: a person debugging a probe steps into it.
    /// </summary>
    internal static class Emitter
    {
        public const string CatalogHintName = "HealthGen.Catalog.g.cs";
        public const string EndpointsHintName = "HealthGen.Endpoints.g.cs";
        public const string JsonContextHintName = "HealthGen.JsonContext.g.cs";
        private const string GeneratedNamespace = "HealthGen.Generated";
        private const string GeneratedCodeAttribute = "[global::System.CodeDom.Compiler.GeneratedCode(\"HealthGen.Generators\", \"0.1.0\")]";
        private const string ValueTaskOfResult = "global::System.Threading.Tasks.ValueTask<global::HealthGen.HealthResult>";
        private const string Di = "global::Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions";
        private const string KeyedDi = "global::Microsoft.Extensions.DependencyInjection.ServiceProviderKeyedServiceExtensions";

        public static void Emit(SourceProductionContext output, GenerationSpec spec)
        {
            if (!spec.Compilation.HasRuntime)
            {
                return;
            }

            if (spec.Checks.Count > 0)
            {
                output.AddSource(CatalogHintName, SourceText.From(EmitCatalog(spec), Encoding.UTF8));
            }

            if (spec.Compilation.HasAspNetCore)
            {
                output.AddSource(EndpointsHintName, SourceText.From(EmitEndpoints(spec), Encoding.UTF8));
                output.AddSource(JsonContextHintName, SourceText.From(EmitJsonContext(), Encoding.UTF8));
            }
        }

        /// <summary>The public name of an assembly's catalog: unique per assembly, so catalogs never collide.</summary>
        public static string CatalogTypeName(string assemblyName)
        {
            var name = new StringBuilder("HealthCheckCatalog_");
            foreach (char c in assemblyName)
            {
                name.Append(SyntaxFacts.IsIdentifierPartCharacter(c) ? c : '_');
            }

            return name.ToString();
        }

        private static string EmitCatalog(GenerationSpec spec)
        {
            string catalog = CatalogTypeName(spec.Compilation.AssemblyName);
            string[] invokerNames = InvokerNames(spec.Checks);
            var writer = new SourceWriter();
            WriteHeader(writer);
            writer.Line($"[assembly: global::HealthGen.HealthCheckCatalogAttribute(typeof(global::{GeneratedNamespace}.{catalog}))]");
            writer.Line("// The catalog's checks, for the generator and analyzers of referencing projects: names taken twice across");
            writer.Line("// assemblies (HG0004) and dependencies across them (HG0010, HG0011) are found as those projects build.");
            foreach (CheckSpec check in spec.Checks)
            {
                writer.Line($"[assembly: global::HealthGen.HealthCheckDeclarationAttribute({Declaration(check)})]");
            }

            writer.Line();
            using (writer.StartBlock($"namespace {GeneratedNamespace}"))
            {
                writer.Line($"/// <summary>The health checks declared in assembly {Xml(spec.Compilation.AssemblyName)}, found at compile time by HealthGen.</summary>");
                writer.Line("/// <remarks>Applications and referencing assemblies compose catalogs in their generated <c>MapHealthGen</c>.</remarks>");
                writer.Line(GeneratedCodeAttribute);
                writer.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
                using (writer.StartBlock($"public static class {catalog}"))
                {
                    writer.Line("/// <summary>This assembly's name: where its checks come from, in messages such as a check name taken twice.</summary>");
                    writer.Line($"private const string Assembly = {Literal(spec.Compilation.AssemblyName)};");
                    writer.Line();
                    writer.Line("/// <summary>The checks of this assembly, ordered by probe, kind and name.</summary>");
                    writer.Line("public static global::System.Collections.Generic.IReadOnlyList<global::HealthGen.HealthCheckRegistration> Checks { get; } = new global::HealthGen.HealthCheckRegistration[]");
                    writer.Line("{");
                    for (int i = 0; i < spec.Checks.Count; i++)
                    {
                        CheckSpec check = spec.Checks[i];
                        string kind = check.Kind is null ? "null" : Literal(check.Kind);
                        string invocation = check.Invocation == InvocationSpec.Isolated ? string.Empty : $", global::HealthGen.CheckInvocation.{check.Invocation}";
                        writer.Line($"    new global::HealthGen.HealthCheckRegistration({Literal(check.Name)}, global::HealthGen.ProbeKind.{check.Probe}, {kind}, timeoutMs: {Setting(check.TimeoutMs)}, cacheMs: {Setting(check.CacheMs)}, {invokerNames[i]}{invocation}) {{ {Initializer(check)} }},");
                    }

                    writer.Line("};");
                    for (int i = 0; i < spec.Checks.Count; i++)
                    {
                        writer.Line();
                        WriteInvoker(writer, spec.Checks[i], invokerNames[i]);
                    }
                }
            }

            return writer.ToString();
        }

        /// <summary>
        /// The registration's init properties: its source always, the operations settings only when they differ from the
        /// registration's defaults (PeriodMs 0, FailureThreshold 1, no dependencies), so a plain check reads as before.
        /// </summary>
        private static string Initializer(CheckSpec check)
        {
            var initializer = new StringBuilder("Source = Assembly");
            if (check.PeriodMs > 0)
            {
                initializer.Append(", PeriodMs = ").Append(Number(check.PeriodMs));
            }

            if (check.FailureThreshold != 1)
            {
                initializer.Append(", FailureThreshold = ").Append(Number(check.FailureThreshold));
            }

            if (check.DependsOn.Count > 0)
            {
                initializer.Append(", DependsOn = ").Append(Names(check.DependsOn));
            }

            return initializer.ToString();
        }

        /// <summary>The arguments of a check's <c>HealthCheckDeclarationAttribute</c>: probe, name, and Kind and DependsOn when it has them.</summary>
        private static string Declaration(CheckSpec check)
        {
            var declaration = new StringBuilder($"global::HealthGen.ProbeKind.{check.Probe}, {Literal(check.Name)}");
            if (check.Kind is not null)
            {
                declaration.Append(", Kind = ").Append(Literal(check.Kind));
            }

            if (check.DependsOn.Count > 0)
            {
                declaration.Append(", DependsOn = ").Append(Names(check.DependsOn));
            }

            return declaration.ToString();
        }

        /// <summary>A <c>string[]</c> of names, spelled so that any C# version compiles it, in an attribute too.</summary>
        private static string Names(EquatableArray<string> names)
            => $"new string[] {{ {string.Join(", ", names.Select(Literal))} }}";

        /// <summary>One method per check that resolves its arguments and calls it directly.</summary>
        private static void WriteInvoker(SourceWriter writer, CheckSpec check, string invokerName)
        {
            bool ownsInstance = check.Instance is { ConstructorParameters: not null, Dispose: not DisposeShape.None };
            // A method that returns Task<HealthResult> or ValueTask<HealthResult> is passed through, not awaited: no
            // state machine of ours. Other asynchronous shapes are awaited in a pooled state machine (the caller awaits
            // each invocation exactly once, which is what pooling requires).
            bool awaits = (IsAsyncShape(check.Returns) && !(IsPassThroughShape(check.Returns) && !ownsInstance))
                || check.Instance is { Dispose: DisposeShape.DisposeAsync, ConstructorParameters: not null };
            string modifiers = awaits ? "private static async" : "private static";
            string kind = check.Kind is null ? "" : $" ({Xml(check.Kind)})";
            writer.Line($"/// <summary>{check.Probe} check \"{Xml(check.Name)}\"{kind}: calls <see cref=\"{check.ContainingType}.{check.MethodName}\"/>.</summary>");
            if (awaits)
            {
                writer.Line("[global::System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(global::System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]");
            }

            using (writer.StartBlock($"{modifiers} {ValueTaskOfResult} {invokerName}(global::System.IServiceProvider services, global::System.Threading.CancellationToken cancellationToken)"))
            {
                var reserved = new HashSet<string> { "services", "cancellationToken", "instance", "owned" };
                string target = check.ContainingType;
                if (check.Instance is { } instance)
                {
                    target = "instance";
                    if (instance.ConstructorParameters is { } constructorParameters)
                    {
                        string construct = $"new {check.ContainingType}({string.Join(", ", constructorParameters.Select(p => ArgumentExpression(p)))})";
                        if (ownsInstance)
                        {
                            writer.Line($"{check.ContainingType}? owned = null;");
                            construct = $"(owned = {construct})";
                        }

                        writer.Line("// From DI when registered there; otherwise built with its public constructor (and disposed here).");
                        writer.Line($"{check.ContainingType} instance = {Di}.GetService<{check.ContainingType}>(services) ?? {construct};");
                    }
                    else
                    {
                        writer.Line($"{check.ContainingType} instance = {Di}.GetRequiredService<{check.ContainingType}>(services);");
                    }
                }

                var arguments = new List<string>();
                foreach (ArgumentSpec parameter in check.Parameters)
                {
                    if (parameter.Source == ArgumentSource.CancellationToken)
                    {
                        arguments.Add("cancellationToken");
                        continue;
                    }

                    string local = LocalName(parameter.Name, reserved);
                    writer.Line($"{parameter.Type}{(IsOptional(parameter.Source) ? "?" : "")} {local} = {ArgumentExpression(parameter)};");
                    arguments.Add(local);
                }

                string call = $"{target}.{Identifier(check.MethodName)}({string.Join(", ", arguments)})";
                if (ownsInstance)
                {
                    using (writer.StartBlock("try"))
                    {
                        WriteCall(writer, check.Returns, call, awaits);
                    }

                    using (writer.StartBlock("finally"))
                    {
                        writer.Line(check.Instance!.Dispose == DisposeShape.DisposeAsync
                            ? "if (owned is not null) await owned.DisposeAsync().ConfigureAwait(false);"
                            : "owned?.Dispose();");
                    }
                }
                else
                {
                    WriteCall(writer, check.Returns, call, awaits);
                }
            }
        }

        private static void WriteCall(SourceWriter writer, ReturnShape returns, string call, bool inAsyncMethod)
        {
            const string healthy = "global::HealthGen.HealthResult.Healthy()";
            const string fromBoolean = " ? global::HealthGen.HealthResult.Healthy() : global::HealthGen.HealthResult.Unhealthy(\"The check returned false.\")";
            string Return(string result) => inAsyncMethod ? $"return {result};" : $"return new {ValueTaskOfResult}({result});";

            switch (returns)
            {
                case ReturnShape.Void:
                    writer.Line($"{call};");
                    writer.Line(Return(healthy));
                    break;
                case ReturnShape.Boolean:
                    writer.Line(Return(call + fromBoolean));
                    break;
                case ReturnShape.HealthResult:
                    writer.Line(Return(call));
                    break;
                case ReturnShape.Task or ReturnShape.ValueTask:
                    writer.Line($"await {call}.ConfigureAwait(false);");
                    writer.Line($"return {healthy};");
                    break;
                case ReturnShape.TaskOfBoolean or ReturnShape.ValueTaskOfBoolean:
                    writer.Line($"return await {call}.ConfigureAwait(false){fromBoolean};");
                    break;
                case ReturnShape.TaskOfHealthResult when !inAsyncMethod:
                    writer.Line(Return(call));
                    break;
                case ReturnShape.ValueTaskOfHealthResult when !inAsyncMethod:
                    writer.Line($"return {call};");
                    break;
                default:
                    writer.Line($"return await {call}.ConfigureAwait(false);");
                    break;
            }
        }

        private static string EmitEndpoints(GenerationSpec spec)
        {
            const string registrations = "global::System.Collections.Generic.List<global::HealthGen.HealthCheckRegistration>";
            var writer = new SourceWriter();
            WriteHeader(writer);
            using (writer.StartBlock($"namespace {GeneratedNamespace}"))
            {
                writer.Line("/// <summary>The checks of this application: its own and those of every referenced assembly with a HealthGen catalog.</summary>");
                writer.Line(GeneratedCodeAttribute);
                using (writer.StartBlock("internal static class HealthGenApplicationChecks"))
                {
                    writer.Line("/// <summary>A new list of every check, composed at compile time (no assembly scanning).</summary>");
                    using (writer.StartBlock($"public static {registrations} All()"))
                    {
                        writer.Line($"var checks = new {registrations}();");
                        if (spec.Checks.Count > 0)
                        {
                            writer.Line($"checks.AddRange(global::{GeneratedNamespace}.{CatalogTypeName(spec.Compilation.AssemblyName)}.Checks); // this assembly");
                        }

                        foreach (CatalogReference reference in spec.Compilation.ReferencedCatalogs)
                        {
                            writer.Line($"checks.AddRange({reference.CatalogType}.Checks); // {reference.AssemblyName}");
                        }

                        writer.Line("return checks;");
                    }
                }
            }

            writer.Line();
            using (writer.StartBlock("namespace Microsoft.AspNetCore.Builder"))
            {
                writer.Line("/// <summary>Maps the HealthGen probes of this application (generated at compile time, reflection-free).</summary>");
                writer.Line(GeneratedCodeAttribute);
                using (writer.StartBlock("internal static class HealthGenEndpointRouteBuilderExtensions"))
                {
                    writer.Line("/// <summary>");
                    writer.Line("/// Maps <c>{prefix}</c>, <c>{prefix}/livez</c>, <c>{prefix}/readyz</c>, <c>{prefix}/startupz</c>, <c>{prefix}/resolversz</c>,");
                    writer.Line("/// the per-check paths <c>{prefix}/{probe}/{check}</c> and <c>{prefix}/details</c> for GET and HEAD.");
                    writer.Line("/// </summary>");
                    writer.Line("/// <param name=\"endpoints\">The application's endpoint route builder.</param>");
                    writer.Line("/// <param name=\"prefix\">The route prefix of the probes; \"/healthz\" unless given.</param>");
                    writer.Line("/// <returns>The group of probe endpoints, to add conventions such as <c>RequireHost(\"*:8081\")</c>.</returns>");
                    using (writer.StartBlock("public static global::Microsoft.AspNetCore.Builder.IEndpointConventionBuilder MapHealthGen(this global::Microsoft.AspNetCore.Routing.IEndpointRouteBuilder endpoints, string prefix = \"/healthz\")"))
                    {
                        writer.Line("global::HealthGen.Generated.HealthGenJsonContext json = global::HealthGen.Generated.HealthGenJsonContext.Default;");
                        writer.Line($"return global::HealthGen.Hosting.HealthGenEndpoints.Map(endpoints, prefix, json.ProbeResponse, json.DetailsResponse, global::{GeneratedNamespace}.HealthGenApplicationChecks.All());");
                    }
                }
            }

            writer.Line();
            using (writer.StartBlock("namespace Microsoft.Extensions.DependencyInjection"))
            {
                writer.Line("/// <summary>Probe files for worker processes without HTTP (generated at compile time).</summary>");
                writer.Line(GeneratedCodeAttribute);
                using (writer.StartBlock("internal static class HealthGenFileProbeServiceCollectionExtensions"))
                {
                    writer.Line("/// <summary>");
                    writer.Line("/// Runs this application's liveness and readiness checks periodically and reflects them in files, for the exec");
                    writer.Line("/// probe <c>&lt;app&gt; probe file --liveness &lt;path&gt; --max-age &lt;s&gt;</c> / <c>--readiness &lt;path&gt;</c>.");
                    writer.Line("/// </summary>");
                    using (writer.StartBlock("public static global::Microsoft.Extensions.DependencyInjection.IServiceCollection AddHealthGenFileProbe(this global::Microsoft.Extensions.DependencyInjection.IServiceCollection services, global::System.Action<global::HealthGen.HealthGenFileProbeOptions> configure)"))
                    {
                        writer.Line($"return global::HealthGen.HealthGenFileProbe.Add(services, global::{GeneratedNamespace}.HealthGenApplicationChecks.All(), configure);");
                    }
                }
            }

            if (spec.Compilation.HasHealthChecks)
            {
                writer.Line();
                using (writer.StartBlock("namespace Microsoft.Extensions.DependencyInjection"))
                {
                    writer.Line("/// <summary>Registers this application's HealthGen checks with Microsoft.Extensions.Diagnostics.HealthChecks.</summary>");
                    writer.Line(GeneratedCodeAttribute);
                    using (writer.StartBlock("internal static class HealthGenHealthChecksBuilderExtensions"))
                    {
                        writer.Line("/// <summary>");
                        writer.Line("/// Adds every HealthGen check as an <c>IHealthCheck</c> named by its path (<c>readyz/database</c>) and tagged with its");
                        writer.Line("/// probe (<c>live</c>, <c>ready</c>, <c>startup</c>, <c>resolver</c>) and <c>healthgen</c>, so <c>MapHealthChecks</c> and");
                        writer.Line("/// health check publishers see them.");
                        writer.Line("/// </summary>");
                        using (writer.StartBlock("public static global::Microsoft.Extensions.DependencyInjection.IHealthChecksBuilder AddHealthGenChecks(this global::Microsoft.Extensions.DependencyInjection.IHealthChecksBuilder builder)"))
                        {
                            writer.Line($"return global::HealthGen.Interop.HealthChecksInterop.AddHealthGenChecks(builder, global::{GeneratedNamespace}.HealthGenApplicationChecks.All());");
                        }
                    }
                }
            }

            return writer.ToString();
        }

        private static string EmitJsonContext()
        {
            const string options = "global::System.Text.Json.JsonSerializerOptions";
            const string typeInfo = "global::System.Text.Json.Serialization.Metadata.JsonTypeInfo";
            const string response = "global::HealthGen.Serialization.ProbeResponse";
            const string details = "global::HealthGen.Serialization.DetailsResponse";
            var writer = new SourceWriter();
            WriteHeader(writer);
            using (writer.StartBlock($"namespace {GeneratedNamespace}"))
            {
                writer.Line("/// <summary>");
                writer.Line("/// System.Text.Json metadata for HealthGen's probe bodies. System.Text.Json's own generator does not run on");
                writer.Line("/// generated code, so HealthGen emits this context itself: no reflection, safe for native AOT. Add it to a");
                writer.Line("/// resolver chain to serialize a <see cref=\"global::HealthGen.Serialization.ProbeResponse\"/> or details body yourself.");
                writer.Line("/// </summary>");
                writer.Line(GeneratedCodeAttribute);
                using (writer.StartBlock("internal sealed class HealthGenJsonContext : global::System.Text.Json.Serialization.JsonSerializerContext, global::System.Text.Json.Serialization.Metadata.IJsonTypeInfoResolver"))
                {
                    writer.Line($"private static readonly {options} s_defaultOptions = new {options}();");
                    writer.Line($"private {typeInfo}<{response}>? _probeResponse;");
                    writer.Line($"private {typeInfo}<{details}>? _detailsResponse;");
                    writer.Line();
                    writer.Line("/// <summary>The context with default options.</summary>");
                    writer.Line($"public static HealthGenJsonContext Default {{ get; }} = new HealthGenJsonContext(new {options}(s_defaultOptions));");
                    writer.Line();
                    writer.Line("/// <summary>Creates the context with its own options instance.</summary>");
                    writer.Line("public HealthGenJsonContext() : base(null) { }");
                    writer.Line();
                    writer.Line("/// <summary>Creates the context bound to <paramref name=\"options\"/>.</summary>");
                    writer.Line($"public HealthGenJsonContext({options} options) : base(options) {{ }}");
                    writer.Line();
                    writer.Line("/// <inheritdoc/>");
                    writer.Line($"protected override {options}? GeneratedSerializerOptions => s_defaultOptions;");
                    writer.Line();
                    writer.Line("/// <summary>Metadata of the probe body type.</summary>");
                    writer.Line($"public {typeInfo}<{response}> ProbeResponse => _probeResponse ??= ({typeInfo}<{response}>)Options.GetTypeInfo(typeof({response}));");
                    writer.Line();
                    writer.Line("/// <summary>Metadata of the details body type.</summary>");
                    writer.Line($"public {typeInfo}<{details}> DetailsResponse => _detailsResponse ??= ({typeInfo}<{details}>)Options.GetTypeInfo(typeof({details}));");
                    writer.Line();
                    writer.Line("/// <inheritdoc/>");
                    using (writer.StartBlock($"public override {typeInfo}? GetTypeInfo(global::System.Type type)"))
                    {
                        writer.Line($"Options.TryGetTypeInfo(type, out {typeInfo}? typeInfo);");
                        writer.Line("return typeInfo;");
                    }

                    writer.Line();
                    using (writer.StartBlock($"{typeInfo}? global::System.Text.Json.Serialization.Metadata.IJsonTypeInfoResolver.GetTypeInfo(global::System.Type type, {options} options)"))
                    {
                        using (writer.StartBlock($"if (type == typeof({response}))"))
                        {
                            writer.Line($"return global::System.Text.Json.Serialization.Metadata.JsonMetadataServices.CreateValueInfo<{response}>(options, new global::HealthGen.Serialization.ProbeResponseJsonConverter());");
                        }

                        using (writer.StartBlock($"if (type == typeof({details}))"))
                        {
                            writer.Line($"return global::System.Text.Json.Serialization.Metadata.JsonMetadataServices.CreateValueInfo<{details}>(options, new global::HealthGen.Serialization.DetailsResponseJsonConverter());");
                        }

                        writer.Line("return null;");
                    }
                }
            }

            return writer.ToString();
        }

        private static void WriteHeader(SourceWriter writer)
        {
            writer.Line("// <auto-generated/>");
            writer.Line("// Generated by HealthGen.Generators from the [LivenessCheck], [ReadinessCheck], [StartupCheck] and [ResolverCheck] methods of this project.");
            writer.Line("#nullable enable");
            writer.Line();
        }

        /// <summary>Readable, collision-free invoker names: <c>Readiness_database</c>, with a suffix only if sanitizing collides.</summary>
        private static string[] InvokerNames(EquatableArray<CheckSpec> checks)
        {
            var names = new string[checks.Count];
            var used = new HashSet<string>();
            for (int i = 0; i < checks.Count; i++)
            {
                CheckSpec check = checks[i];
                var name = new StringBuilder(check.Probe.ToString()).Append('_');
                if (check.Kind is not null)
                {
                    name.Append(Sanitize(check.Kind)).Append('_');
                }

                name.Append(Sanitize(check.Name));
                string candidate = name.ToString();
                for (int suffix = 2; !used.Add(candidate); suffix++)
                {
                    candidate = $"{name}_{suffix}";
                }

                names[i] = candidate;
            }

            return names;
        }

        private static string Sanitize(string name)
        {
            var builder = new StringBuilder(name.Length);
            foreach (char c in name)
            {
                builder.Append(c is '.' or '-' ? '_' : c);
            }

            return builder.ToString();
        }

        private static string ArgumentExpression(ArgumentSpec argument) => argument.Source switch
        {
            ArgumentSource.CancellationToken => "cancellationToken",
            ArgumentSource.ServiceProvider => "services",
            ArgumentSource.RequiredService => $"{Di}.GetRequiredService<{argument.Type}>(services)",
            ArgumentSource.OptionalService => $"{Di}.GetService<{argument.Type}>(services)",
            ArgumentSource.RequiredKeyedService => $"{KeyedDi}.GetRequiredKeyedService<{argument.Type}>(services, {argument.ServiceKey})",
            _ => $"{KeyedDi}.GetKeyedService<{argument.Type}>(services, {argument.ServiceKey})",
        };

        private static bool IsOptional(ArgumentSource source) => source is ArgumentSource.OptionalService or ArgumentSource.OptionalKeyedService;

        private static bool IsPassThroughShape(ReturnShape shape) => shape is ReturnShape.TaskOfHealthResult or ReturnShape.ValueTaskOfHealthResult;

        private static bool IsAsyncShape(ReturnShape shape) => shape is not (ReturnShape.Void or ReturnShape.Boolean or ReturnShape.HealthResult);

        private static string LocalName(string parameterName, HashSet<string> reserved)
        {
            string name = reserved.Contains(parameterName) ? parameterName + "Argument" : parameterName;
            for (int suffix = 2; !reserved.Add(name); suffix++)
            {
                name = parameterName + "Argument" + suffix;
            }

            return Identifier(name);
        }

        private static string Identifier(string name)
            => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) == SyntaxKind.AwaitKeyword ? "@" + name : name;

        private static string Setting(int value) => value < 0 ? "global::HealthGen.HealthCheckRegistration.UseDefault" : Number(value);

        private static string Number(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

        private static string Literal(string value) => SymbolDisplay.FormatLiteral(value, quote: true);

        private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
    }
}
