using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Granary.Tests.Grains;
using Microsoft.Extensions.Options;

namespace Granary.Tests.Networking;

public sealed class TransportConnectionTests
{
    private readonly Probe _probe = new();

    [Fact]
    public async Task A_call_to_an_endpoint_nobody_listens_on_fails_at_once()
    {
        await using var cluster = await TransportCluster.StartAsync(_probe);
        var nowhere = new SiloAddress("127.0.0.1", UnusedPort(), 1);

        var call = TransportCluster.RemoteFactory(cluster.Silo1, nowhere).GetGrain<IEchoGrain>("e").Add(1, 2);

        // The manual clock never moves here, so the response timeout cannot be what ends the call.
        var error = await Assert.ThrowsAsync<SiloUnavailableException>(() => call.WaitAsync(Probe.SafetyTimeout));
        Assert.Contains(nowhere.Endpoint, error.Message);
    }

    [Fact]
    public async Task A_call_for_another_generation_of_the_silo_is_refused_and_never_runs()
    {
        await using var cluster = await TransportCluster.StartAsync(_probe);
        var current = TransportCluster.AddressOf(cluster.Silo2);
        var previous = current with { Generation = current.Generation - 1 };

        var error = await Assert.ThrowsAsync<SiloUnavailableException>(
            () => TransportCluster.RemoteFactory(cluster.Silo1, previous).GetGrain<IEchoGrain>("e").Add(1, 2));

        Assert.Contains(previous.Generation.ToString(), error.Message);
        Assert.Equal(0, cluster.Silo2.ActivationCount);
        Assert.Equal(3, await cluster.Remote.GetGrain<IEchoGrain>("e").Add(1, 2));
    }

    [Fact]
    public async Task A_dropped_connection_fails_its_pending_calls_at_once_and_the_next_call_reconnects()
    {
        await using var cluster = await TransportCluster.StartAsync(_probe);
        var gate = cluster.Remote.GetGrain<IGateGrain>("g");
        var pending = gate.WaitAt("dropped");
        var other = cluster.Remote.GetGrain<IGateGrain>("h").WaitAt("dropped-too");
        await _probe.WaitAsync("entered:dropped");
        await _probe.WaitAsync("entered:dropped-too");

        TransportCluster.ListenerOf(cluster.Silo2).CloseConnections();

        await Assert.ThrowsAsync<SiloUnavailableException>(() => pending.WaitAsync(Probe.SafetyTimeout));
        await Assert.ThrowsAsync<SiloUnavailableException>(() => other.WaitAsync(Probe.SafetyTimeout));
        _probe.Open("dropped");
        _probe.Open("dropped-too");
        Assert.Equal("pong", await gate.Ping());
    }

    [Fact]
    public async Task A_peer_sending_a_frame_above_the_maximum_is_disconnected_and_the_listener_serves_on()
    {
        await using var cluster = await TransportCluster.StartAsync(_probe, b => b.Configure("Transport:MaxFrameSize", "65536"));
        var listener = TransportCluster.AddressOf(cluster.Silo2);

        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await peer.ConnectAsync(IPAddress.Loopback, listener.Port);
        var header = new byte[12];
        "GRNY\u0001\0\0\0"u8.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), 65537);
        await peer.SendAsync(header);

        Assert.True(await ReadsToEndAsync(peer).WaitAsync(Probe.SafetyTimeout));
        Assert.Equal(3, await cluster.Remote.GetGrain<IEchoGrain>("e").Add(1, 2));
    }

    [Fact]
    public async Task A_call_or_an_answer_above_the_maximum_frame_fails_with_a_clear_error_and_the_connection_lives()
    {
        await using var cluster = await TransportCluster.StartAsync(_probe, b => b.Configure("Transport:MaxFrameSize", "65536"));
        var echo = cluster.Remote.GetGrain<IEchoGrain>("e");

        var tooLarge = await Assert.ThrowsAsync<InvalidOperationException>(() => echo.EchoString(new string('x', 100_000)));
        var answerTooLarge = await Assert.ThrowsAsync<InvalidOperationException>(() => echo.Make(100_000));

        Assert.Contains("Transport:MaxFrameSize", tooLarge.Message);
        Assert.Contains("Transport:MaxFrameSize", answerTooLarge.Message);
        Assert.Equal(3, await echo.Add(1, 2));
        Assert.Equal(1, TransportCluster.SenderOf(cluster.Silo1).ConnectionCount);
    }

    [Fact]
    public async Task A_stopping_silo_sends_the_answers_of_the_calls_it_still_runs_before_it_closes()
    {
        await using var cluster = await TransportCluster.StartAsync(_probe);
        var call = cluster.Remote.GetGrain<IGateGrain>("g").WaitAt("stopping");
        await _probe.WaitAsync("entered:stopping");

        var stopped = cluster.Cluster.StopSiloAsync(cluster.Silo2);
        _probe.Open("stopping");

        Assert.Equal("stopping", await call.WaitAsync(Probe.SafetyTimeout));
        await stopped.WaitAsync(Probe.SafetyTimeout);
        await Assert.ThrowsAsync<SiloUnavailableException>(() => cluster.Remote.GetGrain<IEchoGrain>("e").Add(1, 2).WaitAsync(Probe.SafetyTimeout));
    }

    [Theory]
    [InlineData("Transport:MaxFrameSize", "100")]
    [InlineData("Transport:ConnectTimeout", "00:00:00")]
    public async Task An_invalid_transport_option_stops_the_silo_from_starting(string key, string value)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TransportCluster.StartAsync(_probe, b => b.Configure(key, value)));

        Assert.Contains(key, error.Message);
    }

    private static async Task<bool> ReadsToEndAsync(Socket socket)
    {
        var buffer = new byte[64];
        try
        {
            while (await socket.ReceiveAsync(buffer) > 0)
            {
            }
        }
        catch (SocketException)
        {
            // A reset is a close too.
        }
        return true;
    }

    private static int UnusedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
