namespace Provisioning.BackOfficeSimulator;

/// <summary>Gives the answers the framework produces with no body (405, 404 of no route) a JSON error body too.</summary>
internal static class JsonStatusMiddleware
{
    public static void UseJsonStatusBodies(this WebApplication app) =>
        app.Use(async (context, next) =>
        {
            await next(context);
            if (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested &&
                context.Response.StatusCode >= 400 && context.Response.ContentLength is null)
            {
                int status = context.Response.StatusCode;
                await Responses.WriteErrorAsync(context, status, Responses.ErrorCodeFor(status), $"{context.Request.Method} {context.Request.Path} is not served by the back-office simulator.");
            }
        });
}
