using System.Text.Encodings.Web;
using System.Text.Json;

namespace Provisioning.BackOfficeSimulator;

/// <summary>
/// The JSON context every answer uses: the generated one with relaxed escaping, so base64 '+' and
/// quotes inside recorded bodies stay readable in curl output. Answers are never rendered as HTML.
/// </summary>
internal static class SimulatorJson
{
    public static JavaScriptEncoder Encoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public static SimulatorJsonContext Context { get; } =
        new(new JsonSerializerOptions(SimulatorJsonContext.Default.Options) { Encoder = Encoder });
}
