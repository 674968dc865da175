using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.Extensions.Options;

namespace HealthGen.Checks.Pkcs11;

/// <summary>
/// Rejects settings that can never work at start-up (with <c>ValidateOnStart</c>), naming the
/// configuration key, instead of letting every probe fail for a typo.
/// </summary>
internal sealed class Pkcs11OptionsValidator : IValidateOptions<Pkcs11Options>
{
    private const int MaxLabelBytes = 32;

    public ValidateOptionsResult Validate(string? name, Pkcs11Options options)
    {
        List<string> problems = FindProblems(options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    internal static List<string> FindProblems(Pkcs11Options options)
    {
        var problems = new List<string>();

        if (string.IsNullOrWhiteSpace(options.Module))
        {
            problems.Add("Hsm:Module is required: the absolute path of the PKCS#11 module, e.g. /usr/lib/softhsm/libsofthsm2.so (environment variable Hsm__Module).");
        }
        else if (!Path.IsPathFullyQualified(options.Module))
        {
            problems.Add($"Hsm:Module must be an absolute path, so the module loaded does not depend on the working directory or the loader's search path (was '{options.Module}').");
        }

        bool hasLabel = HasLabel(options);
        if (hasLabel && options.SlotId is not null)
        {
            problems.Add("Hsm:TokenLabel and Hsm:SlotId are both set: set exactly one of them to choose the token.");
        }
        else if (!hasLabel && options.SlotId is null)
        {
            problems.Add("Hsm:TokenLabel or Hsm:SlotId is required to choose the token: set exactly one of them (environment variable Hsm__TokenLabel or Hsm__SlotId).");
        }

        if (hasLabel)
        {
            int labelBytes = Encoding.UTF8.GetByteCount(options.TokenLabel!);
            if (labelBytes > MaxLabelBytes)
            {
                problems.Add($"Hsm:TokenLabel is {labelBytes} bytes in UTF-8, but a PKCS#11 token label holds at most {MaxLabelBytes}.");
            }
        }

        return problems;
    }

    /// <summary>A blank label is no label: PKCS#11 pads labels with blanks, so it could never match.</summary>
    internal static bool HasLabel(Pkcs11Options options) => !string.IsNullOrWhiteSpace(options.TokenLabel);
}
