using System.Threading.Tasks;
using HealthGen.Generators.Analyzers;
using HealthGen.Generators.Tests.Verifiers;

namespace HealthGen.Generators.Tests.Analyzers;

public sealed class UnsupportedCheckSignatureAnalyzerTests
{
    [Fact]
    public Task Unsupported_shapes_are_reported_on_the_method_name() => AnalyzerVerifier<UnsupportedCheckSignatureAnalyzer>.VerifyAsync("""
        using System.Threading.Tasks;
        using HealthGen;

        public static class Checks
        {
            [LivenessCheck] public static int [|WrongReturn|]() => 1;
            [LivenessCheck] public static Task<int> [|WrongTaskResult|]() => Task.FromResult(1);
            [LivenessCheck] public static bool [|Generic|]<T>() => true;
            [LivenessCheck] public static async void [|AsyncVoid|]() => await Task.Yield();
            [ReadinessCheck] public static bool [|ByRef|](ref int value) => true;
            [ReadinessCheck] public static bool [|Out|](out int value) { value = 0; return true; }
            [ReadinessCheck] public static bool [|In|](in int value) => true;
            [ReadinessCheck] public static bool [|Params|](params object[] values) => true;
            [ReadinessCheck] public static bool [|RefReadonly|](ref readonly int value) => true;
        }

        public struct StructChecks
        {
            [StartupCheck] public bool [|OnStruct|]() => true;
        }

        public abstract class AbstractChecks
        {
            [StartupCheck] public abstract bool [|Abstract|]();
        }
        """);

    [Fact]
    public Task Every_supported_shape_is_clean() => AnalyzerVerifier<UnsupportedCheckSignatureAnalyzer>.VerifyAsync("""
        using System.Threading;
        using System.Threading.Tasks;
        using HealthGen;

        public sealed class Checks
        {
            [LivenessCheck] public static void A() { }
            [LivenessCheck] public static bool B() => true;
            [LivenessCheck] public static HealthResult C() => HealthResult.Healthy();
            [ReadinessCheck] public static async Task D() => await Task.Yield();
            [ReadinessCheck] public static Task<bool> E(CancellationToken ct) => Task.FromResult(true);
            [ReadinessCheck] public Task<HealthResult> F() => Task.FromResult(HealthResult.Healthy());
            [StartupCheck] public static ValueTask G() => default;
            [StartupCheck] public static ValueTask<bool> H() => new(true);
            [StartupCheck] public static ValueTask<HealthResult> I() => new(HealthResult.Healthy());
            public static int NotACheck() => 1;
        }
        """);
}

public sealed class UnsuppliableCheckParameterAnalyzerTests
{
    [Fact]
    public Task Parameters_the_container_cannot_supply_are_reported() => AnalyzerVerifier<UnsuppliableCheckParameterAnalyzer>.VerifyAsync("""
        using System;
        using HealthGen;
        using Microsoft.Extensions.DependencyInjection;

        public static class Checks
        {
            [ReadinessCheck] public static bool Port(int [|port|]) => true;
            [ReadinessCheck] public static bool Host(string [|host|]) => true;
            [ReadinessCheck] public static bool Anything(object [|value|]) => true;
            [ReadinessCheck] public static bool Now(DateTime [|now|]) => true;
            [ReadinessCheck] public static bool Many(IServiceProvider[] [|all|]) => true;
            [ReadinessCheck] public static bool Nullable(int? [|maybe|]) => true;
        }
        """);

    [Fact]
    public Task Services_tokens_providers_and_keyed_services_are_clean() => AnalyzerVerifier<UnsuppliableCheckParameterAnalyzer>.VerifyAsync("""
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using HealthGen;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Logging;

        public interface IStore { }
        public enum Region { East }

        public static class Checks
        {
            [ReadinessCheck] public static bool A(IStore store, CancellationToken ct, IServiceProvider services, ILogger<IStore> logger, IEnumerable<IStore> all, Func<IStore> factory) => true;
            [ReadinessCheck] public static bool B([FromKeyedServices("primary")] IStore primary, [FromKeyedServices(Region.East)] IStore east, IStore? optional = null) => true;
            public static bool NotACheck(int port) => true;
        }
        """);
}

public sealed class UnreachableCheckAnalyzerTests
{
    [Fact]
    public Task Checks_generated_code_cannot_call_are_reported() => AnalyzerVerifier<UnreachableCheckAnalyzer>.VerifyAsync("""
        using HealthGen;

        public class Checks
        {
            [LivenessCheck] private static bool [|Private|]() => true;
            [LivenessCheck] protected static bool [|Protected|]() => true;
            [LivenessCheck] private protected static bool [|PrivateProtected|]() => true;

            private static class Hidden
            {
                [LivenessCheck] public static bool [|InPrivateType|]() => true;
            }

            public static bool Host()
            {
                return Local();

                [LivenessCheck] static bool [|Local|]() => true;
            }
        }

        public static class Generic<T>
        {
            [LivenessCheck] public static bool [|InGenericType|]() => true;
        }

        file static class FileLocal
        {
            [LivenessCheck] public static bool [|InFileLocalType|]() => true;
        }
        """);

    [Fact]
    public Task Public_internal_and_nested_public_checks_are_clean() => AnalyzerVerifier<UnreachableCheckAnalyzer>.VerifyAsync("""
        using HealthGen;

        internal class Checks
        {
            [LivenessCheck] public static bool A() => true;
            [LivenessCheck] internal static bool B() => true;
            [LivenessCheck] protected internal static bool C() => true;

            internal static class Nested
            {
                [LivenessCheck] public static bool D() => true;
            }

            private static bool NotACheck() => true;
        }
        """);
}

public sealed class SignatureMessageTests
{
    [Fact]
    public Task By_reference_parameters_are_named_with_their_keyword() => AnalyzerVerifier<UnsupportedCheckSignatureAnalyzer>.VerifyAsync("""
        using HealthGen;
        public static class Checks
        {
            [ReadinessCheck] public static bool {|#0:A|}(ref readonly int value) => true;
        }
        """,
        AnalyzerVerifier<UnsupportedCheckSignatureAnalyzer>.Diagnostic().WithLocation(0)
            .WithArguments("A", "parameter 'value' is passed by reference (ref readonly)"));
}
