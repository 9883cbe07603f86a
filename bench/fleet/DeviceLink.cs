namespace Provisioning.Bench.Fleet;

/// <summary>
/// One device's connection to the back office: the in-memory server, or during an outage that refuses
/// connections the same HttpRequestException a refused TCP connect gives.
/// </summary>
internal sealed class DeviceLink(FleetBackOffice backOffice, string deviceId) : HttpMessageHandler
{
    private readonly HttpMessageInvoker _server = new(backOffice.Handler, disposeHandler: false);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (backOffice.RefusesNow)
        {
            backOffice.RecordRefused(deviceId);
            return Task.FromException<HttpResponseMessage>(
                new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (backoffice.fleet:443)"));
        }

        return _server.SendAsync(request, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _server.Dispose();
        }

        base.Dispose(disposing);
    }
}
