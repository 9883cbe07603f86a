namespace Provisioning.BackOfficeSimulator;

/// <summary>The body of every error answer: {"error": "...", "message": "..."}.</summary>
internal sealed record ErrorBody(string Error, string Message);
