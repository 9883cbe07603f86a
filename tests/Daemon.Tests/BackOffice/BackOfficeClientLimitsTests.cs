using System.Net;
using System.Text;
using Provisioning.Daemon.BackOffice;
using static Provisioning.Daemon.Tests.BackOffice.ScriptedBackOffice;

namespace Provisioning.Daemon.Tests.BackOffice;

public sealed class BackOfficeClientLimitsTests
{
    [Fact]
    public async Task RunAsync_DeclaredBodyOverTheCap_IsAFailedAttemptAndRetried()
    {
        using var harness = new ClientHarness(o => o.MaxResponseBytes = 4096);
        string padded = ProvisioningJson.Valid().Replace("\"tokens\"", $"\"pad\": \"{new string('x', 5000)}\", \"tokens\"", StringComparison.Ordinal);
        harness.BackOffice.Then(Ok(padded)).Then(Ok(ProvisioningJson.Valid()));

        Assert.IsType<RunOutcome.Provisioned>(await harness.RunAsync());

        RunProgress failure = Assert.Single(harness.Progress, p => p.Kind == RunProgressKind.AttemptFailed);
        Assert.Contains("larger than 4096 bytes", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_EndlessBody_StopsReadingJustPastTheCap()
    {
        using var harness = new ClientHarness(o => o.MaxResponseBytes = 64 * 1024);
        var endless = new EndlessStream();
        harness.BackOffice.Then(Content(new StreamContent(endless))).Then(Ok(ProvisioningJson.Valid()));

        Assert.IsType<RunOutcome.Provisioned>(await harness.RunAsync());

        Assert.InRange(endless.BytesRead, 64 * 1024, (64 * 1024) + (64 * 1024));
        Assert.Contains("larger than 65536 bytes", Assert.Single(harness.Progress, p => p.Kind == RunProgressKind.AttemptFailed).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_BodyJustUnderTheCap_IsRead()
    {
        string body = ProvisioningJson.Valid();
        using var harness = new ClientHarness(o => o.MaxResponseBytes = Encoding.UTF8.GetByteCount(body));
        harness.BackOffice.Then(Content(new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body)))));

        Assert.IsType<RunOutcome.Provisioned>(await harness.RunAsync());
    }

    [Fact]
    public async Task RunAsync_HugeErrorBody_StillRejectsWithTheStatus()
    {
        using var harness = new ClientHarness(o => o.MaxResponseBytes = 4096);
        harness.BackOffice.Then(Status(403, body: new string('x', 100_000)));

        var outcome = Assert.IsType<RunOutcome.Rejected>(await harness.RunAsync());

        Assert.Equal(403, outcome.Status);
    }

    [Fact]
    public async Task RunAsync_UnexpectedSuccessStatus_IsRetriedAsMalformed()
    {
        using var harness = new ClientHarness();
        harness.BackOffice.Then(Status((int)HttpStatusCode.NoContent)).Then(Ok(ProvisioningJson.Valid()));

        Assert.IsType<RunOutcome.Provisioned>(await harness.RunAsync());

        Assert.Equal(204, Assert.Single(harness.Progress, p => p.Kind == RunProgressKind.AttemptFailed).Status);
    }

    private sealed class EndlessStream : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Fill((byte)' ');
            BytesRead += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
