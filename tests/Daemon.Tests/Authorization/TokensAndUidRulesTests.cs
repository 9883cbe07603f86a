using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging.Testing;
using Provisioning.Daemon.Tests.Grpc;
using Provisioning.Daemon.Tests.Infrastructure;
using Provisioning.Daemon.Tests.JsonRpc;

namespace Provisioning.Daemon.Tests.Authorization;

/// <summary>
/// How JsonRpc:Tokens and uid rules combine on the bridge (BearerTokens, then the policy): with tokens set, every
/// request needs a valid token first, whoever sends it (401 before the policy runs); after that, either grants: a
/// named uid's rule allows without Tokens=true, and a rule with Tokens=true allows a token holder it does not name.
/// </summary>
public sealed class TokensAndUidRulesTests
{
    private const string Token = "t0ken-for-the-ui";
    private const string Provision = """{"jsonrpc":"2.0","id":1,"method":"Provisioning.1.provision"}""";
    private const string Id = """{"jsonrpc":"2.0","id":1,"method":"Provisioning.1.id"}""";
    private const string Activate = """{"jsonrpc":"2.0","id":1,"method":"Controller.1.activate","params":{"callsign":"Provisioning"}}""";

    private static readonly string Refused = Requests.Error(-32604, "method invokation not allowed.");

    [RootFact]
    public async Task NamedUid_WhileTokensAreSet_NeedsAValidToken_ThenItsUidRuleAllows_TokensGrantOnlyWhereTheRuleSaysTokens()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync(
            withSimulator: false,
            provisionAtBoot: false,
            settings: new Dictionary<string, string?>
            {
                ["JsonRpc:Url"] = "http://127.0.0.1:0",
                ["JsonRpc:Tokens:0"] = Token,
                ["Authorization:Provision:Uids:0"] = PolicyCaller.NamedUid.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Authorization:Controller:Tokens"] = "true",
            },
            configureServices: services => services.AddFakeLogging());
        string target = $"TCP4:127.0.0.1:{daemon.JsonRpcBaseAddress.Port}";

        await using (OtherUserRelay named = await OtherUserRelay.StartAsync(PolicyCaller.NamedUid, target))
        {
            // No token, or a wrong one: 401 before the policy runs, even for what the uid rule allows, even a read.
            Assert.Equal((HttpStatusCode.Unauthorized, ""), await PostAsync(named, Provision, token: null));
            Assert.Equal((HttpStatusCode.Unauthorized, ""), await PostAsync(named, Id, token: null));
            Assert.Equal((HttpStatusCode.Unauthorized, ""), await PostAsync(named, Provision, token: "not-" + Token));

            // A valid token: the uid rule allows Provision, whose rule does not say Tokens (the engine answers: no
            // back office).
            Assert.Equal((HttpStatusCode.Accepted, Requests.Error(2, "ERROR_UNAVAILABLE")), await PostAsync(named, Provision, Token));
        }

        await using (OtherUserRelay other = await OtherUserRelay.StartAsync(PolicyCaller.Other, target))
        {
            // A token holder named nowhere: refused where the rule names uids only, allowed where it says Tokens.
            Assert.Equal((HttpStatusCode.Accepted, Refused), await PostAsync(other, Provision, Token));
            Assert.Equal((HttpStatusCode.OK, Requests.Result("null")), await PostAsync(other, Activate, Token));
        }

        await using (OtherUserRelay root = await OtherUserRelay.StartAsync(PolicyCaller.Root, target))
        {
            // Root is always allowed by the policy, but the token gate comes first.
            Assert.Equal((HttpStatusCode.Unauthorized, ""), await PostAsync(root, Provision, token: null));
        }

        var logged = daemon.Services.GetFakeLogCollector().GetSnapshot();
        Assert.Contains($"uid {PolicyCaller.Other.Uid} ", Assert.Single(logged, r => r.Id.Id == 5100).Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logged, r => r.Message.Contains(Token, StringComparison.Ordinal));
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(OtherUserRelay relay, string body, string? token)
    {
        using HttpClient http = relay.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "jsonrpc") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using HttpResponseMessage response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
