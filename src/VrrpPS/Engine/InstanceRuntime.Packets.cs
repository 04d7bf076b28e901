using VrrpPS.Protocol;
using VrrpPS.StateMachine;

namespace VrrpPS.Engine;

// Receive path: codec validation, counters by reason, then the state machine. No allocation.
internal sealed partial class InstanceRuntime
{
    private VrrpPassword _password;
    private VrrpAuthType _authType;

    private void InitPacketContext()
    {
        var pw = Definition.AuthenticationPassword;
        _authType = pw is null ? VrrpAuthType.None : VrrpAuthType.Pass;
        _password = pw is null ? VrrpPassword.Empty : VrrpPassword.FromString(pw);
    }

    /// <summary>Drains the socket; returns how many datagrams were read.</summary>
    public int OnReadable(long now, byte[] buffer)
    {
        int n = 0;
        if (_halted || _released)
        {
            // Not in the election: read and drop, so a readable socket cannot spin the loop.
            while (n < 64 && _socket.TryReceive(buffer, out _))
            {
                n++;
            }
            return n;
        }
        // Bounded: a flood cannot starve the other instances' timers.
        while (n < 64 && _socket.TryReceive(buffer, out var dg))
        {
            n++;
            HandleDatagram(now, buffer.AsSpan(dg.PayloadOffset, dg.PayloadLength), in dg);
        }
        return n;
    }

    /// <summary>One datagram read for this instance from the shared receive socket of its interface.</summary>
    public void OnDatagram(long now, byte[] buffer, in ReceivedDatagram dg)
    {
        if (!_halted && !_released)
        {
            HandleDatagram(now, buffer.AsSpan(dg.PayloadOffset, dg.PayloadLength), in dg);
        }
    }

    private void HandleDatagram(long now, ReadOnlySpan<byte> message, in ReceivedDatagram dg)
    {
        var d = Definition;
        if (dg.Source == Resolved.SourceAddress)
        {
            return; // our own advertisement
        }
        // Another virtual router on the same LAN: not ours to count (peek VRID, RFC 5798 §5.2.3).
        if (message.Length >= 2 && message[1] != d.VirtualRouterId)
        {
            return;
        }
        // keepalived checks where the advert was sent: a multicast instance ignores unicast adverts
        // and a unicast instance multicast ones (a misconfigured peer must not take part in the election).
        if (!dg.Destination.IsEmpty && (d.IsUnicast ? dg.Destination.IsMulticast : dg.Destination != _destinations[0]))
        {
            Counters.OtherErrors++;
            LogRateLimited(now, LogReason.WrongDestination, d.IsUnicast
                ? $"multicast advertisement from {dg.Source} to {dg.Destination}, but this instance is unicast - ignoring"
                : $"advertisement from {dg.Source} sent to {dg.Destination}, not to the group {_destinations[0]} - ignoring");
            return;
        }
        if (d.IsUnicast && Array.IndexOf(_destinations, dg.Source) < 0)
        {
            Counters.OtherErrors++;
            LogRateLimited(now, LogReason.NotUnicastPeer, $"advertisement from {dg.Source}, which is not a unicast peer - ignoring");
            return;
        }
        var ctx = new PacketContext(dg.Source, dg.Destination, dg.Ttl)
        {
            ExpectedVersion = d.Version,
            CheckTtl = !d.IsUnicast,
            ChecksumMode = d.ChecksumMode,
            CheckAuthentication = true,
            ExpectedAuthType = _authType,
            ExpectedPassword = _password,
        };
        var result = VrrpCodec.TryParse(message, in ctx, out var adv);
        if (result != PacketValidation.Ok)
        {
            CountError(now, result, in dg);
            return;
        }
        Counters.AdvertisementsReceived++;
        if (adv.Priority == 0)
        {
            Counters.PriorityZeroReceived++;
        }
        if (!d.SkipAddressListCheck && !AddressListMatches(in adv))
        {
            Counters.AddressListErrors++;
            LogRateLimited(now, LogReason.AddressList, $"advertisement from {dg.Source} lists other virtual addresses than ours - check the configuration of both nodes");
        }
        bool wasMaster = _router.State == VrrpState.Master;
        var outcome = _router.OnAdvertisement(now, new ReceivedAdvertisement(adv.Priority, adv.AdvertisementIntervalCentiseconds, dg.Source), this);
        if (wasMaster && _router.State == VrrpState.Backup && d.HigherPrioritySendAdvert && adv.Priority != 0)
        {
            // keepalived higher_prio_send_advert: one advert of ours as we yield, so that the other Master
            // sees a lower-priority advert and re-announces (garp_lower_prio_*) after a split brain.
            SendAdvertisement(now, _router.Priority);
        }
        if (outcome == AdvertOutcome.LowerPriorityIgnored && _router.State == VrrpState.Master)
        {
            MasterSawLowerPriority(now, dg.Source, adv.Priority);
        }
        if (d.Version == VrrpVersion.V3 && adv.AdvertisementIntervalCentiseconds != d.AdvertisementIntervalCentiseconds && adv.Priority != 0)
        {
            // RFC 9568 §7.1: a v3 Backup adopts the Master's interval, but a mismatch SHOULD be logged.
            Counters.IntervalMismatches++;
            LogRateLimited(now, LogReason.IntervalMismatch, $"advertisement interval mismatch: {dg.Source} sends every {adv.AdvertisementIntervalCentiseconds * 10} ms, "
                + $"we are configured for {d.AdvertisementIntervalCentiseconds * 10} ms (RFC 9568 §7.1; a Backup follows the Master's interval)");
        }
        if (outcome == AdvertOutcome.IntervalMismatch)
        {
            Counters.IntervalErrors++;
            LogRateLimited(now, LogReason.IntervalMismatch, $"advertisement interval mismatch: {dg.Source} sends every {adv.AdvertisementIntervalCentiseconds * 10} ms, we use {d.AdvertisementIntervalCentiseconds * 10} ms - discarding (RFC 3768 §7.1)");
        }
    }

    private bool AddressListMatches(in VrrpAdvertisement adv)
    {
        if (adv.AddressCount != _vipValues.Length)
        {
            return false;
        }
        for (int i = 0; i < adv.AddressCount; i++)
        {
            if (Array.IndexOf(_vipValues, adv.GetAddress(i)) < 0)
            {
                return false;
            }
        }
        return true;
    }

    private void CountError(long now, PacketValidation result, in ReceivedDatagram dg)
    {
        switch (result)
        {
            case PacketValidation.BadTtl: Counters.TtlErrors++; break;
            case PacketValidation.BadChecksum: Counters.ChecksumErrors++; break;
            case PacketValidation.TooShort:
            case PacketValidation.LengthMismatch: Counters.LengthErrors++; break;
            case PacketValidation.AuthMismatch:
            case PacketValidation.UnsupportedAuth: Counters.AuthErrors++; break;
            case PacketValidation.ZeroInterval: Counters.IntervalErrors++; break;
            case PacketValidation.NoAddresses: Counters.AddressListErrors++; break;
            case PacketValidation.BadVersion:
            case PacketValidation.VersionMismatch: Counters.VersionErrors++; break;
            default: Counters.OtherErrors++; break;
        }
        LogRateLimited(now, LogReason.InvalidPacket, $"invalid advertisement from {dg.Source}: {result}");
    }

    private int WriteAdvertisement(Span<byte> destination, byte priority, IpAddressValue to)
    {
        var d = Definition;
        var fields = new AdvertisementFields
        {
            Version = d.Version,
            VirtualRouterId = (byte)d.VirtualRouterId,
            Priority = priority,
            AdvertisementIntervalCentiseconds = d.AdvertisementIntervalCentiseconds,
            AuthType = _authType,
            Password = _password,
        };
        return VrrpCodec.WriteAdvertisement(destination, in fields, _vipValues, Resolved.SourceAddress, to, d.ChecksumMode);
    }
}
