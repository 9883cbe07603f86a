using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.WebUtilities;

namespace Provisioning.BackOfficeSimulator;

/// <summary>Writes answers: always application/json, always with a Content-Length.</summary>
internal static class Responses
{
    public const string JsonContentType = "application/json";

    public static Task WriteJsonAsync<T>(HttpContext context, int status, T value, JsonTypeInfo<T> typeInfo) =>
        WriteRawAsync(context, status, JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));

    public static Task WriteErrorAsync(HttpContext context, int status, string error, string message) =>
        WriteJsonAsync(context, status, new ErrorBody(error, message), SimulatorJson.Context.ErrorBody);

    public static async Task WriteRawAsync(HttpContext context, int status, byte[] body)
    {
        HttpResponse response = context.Response;
        response.StatusCode = status;
        response.ContentType = JsonContentType;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>"service_unavailable" for 503: the default "error" of an injected status.</summary>
    public static string ErrorCodeFor(int status)
    {
        string phrase = ReasonPhrases.GetReasonPhrase(status);
        return phrase.Length == 0 ? $"status_{status}" : phrase.ToLowerInvariant().Replace(' ', '_').Replace("-", "", StringComparison.Ordinal);
    }
}
