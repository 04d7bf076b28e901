using VrrpPS.Protocol;
using VrrpPS.StateMachine;

namespace VrrpPS.Engine;

// IRouterActions: what the state machine asks for, performed on the wire and on the host.
internal sealed partial class InstanceRuntime
{
    public void SendAdvertisement(long now, byte priority)
    {
        var d = Definition;
        for (int i = 0; i < _destinations.Length; i++)
        {
            int length = WriteAdvertisement(_tx, priority, _destinations[i]);
            try
            {
                _socket.Send(_tx.AsSpan(0, length), _destinations[i]);
                Counters.AdvertisementsSent++;
                if (priority == VrrpConstants.ReleasePriority)
                {
                    Counters.PriorityZeroSent++;
                }
            }
            catch (Exception ex)
            {
                Counters.SendErrors++;
                LogRateLimited(now, LogReason.SendError, $"Error sending advertisement to {_destinations[i]} on {d.InterfaceName}: {ex.Message}");
            }
        }
    }

    public void AddVirtualAddresses(long now)
    {
        _vipsInstalled = true;
        _log.Info(Name, "setting VIPs.");
        ForEachVip("add", (index, vip) => _platform.Addresses.Add(index, vip));
        MasterHostEffects();
    }

    public void RemoveVirtualAddresses(long now)
    {
        _vipsInstalled = false;
        LeaveMasterHostEffects();
        _log.Info(Name, "removing VIPs.");
        ForEachVip("remove", (index, vip) => !_hostAddresses.Contains(vip.Address) && _platform.Addresses.Remove(index, vip));
    }

    // One failing address (e.g. a vanished dev) must not stop the others from being set or released.
    private void ForEachVip(string verb, Func<int, VirtualAddressSpec, bool> change)
    {
        foreach (var vip in Definition.AllAddresses)
        {
            try
            {
                change(VipInterfaceIndex(vip), vip);
            }
            catch (Exception ex)
            {
                _log.Error(Name, $"Could not {verb} {vip.Address}/{vip.PrefixLength}: {ex.Message}");
            }
        }
    }

    public void AnnounceVirtualAddresses(long now)
    {
        SendAnnouncements(now, Definition.GarpRepeat);
        _announcements.BecameMaster(now);
    }

    private void SendAnnouncements(long now, int repeat)
    {
        foreach (var vip in Definition.AllAddresses)
        {
            string kind = vip.Address.IsIPv4 ? "gratuitous ARPs" : "unsolicited neighbour advertisements";
            _log.Info(Name, $"Sending/queueing {kind} on {vip.Device ?? Resolved.Interface.Name} for {vip.Address}");
            for (int i = 0; i < repeat; i++)
            {
                try
                {
                    AnnouncerFor(vip.Address).Announce(VipInterfaceIndex(vip), AnnounceMac, vip.Address);
                }
                catch (Exception ex)
                {
                    LogRateLimited(now, LogReason.AnnounceError, $"Error sending {kind} for {vip.Address}: {ex.Message}");
                    break;
                }
            }
        }
    }

    /// <summary>
    /// The Master heard a lower-priority advert (another router that believes it is Master, e.g. when
    /// a split brain heals): keepalived's garp_lower_prio_delay/repeat re-announce the addresses a
    /// little later so switches and hosts that followed the other router come back; and
    /// notify_master_rx_lower_pri runs. One pending burst at a time.
    /// </summary>
    private void MasterSawLowerPriority(long now, IpAddressValue from, byte priority)
    {
        var d = Definition;
        if (_announcements.LowerPriorityHeard(now))
        {
            _log.Info(Name, $"lower priority ({priority}) advert from {from} while Master: announcing again in {d.GarpLowerPriorityDelaySeconds:0.###} s");
        }
        if (d.Notify is { MasterRxLowerPriority: not null } n)
        {
            _services?.MasterReceivedLowerPriority?.Invoke(Name, n);
        }
    }

    // An excluded address of the other family (IPv6 on an IPv4 instance) needs the other kind of announcer.
    private IAnnouncer AnnouncerFor(IpAddressValue address)
    {
        bool v6 = Definition.Family == System.Net.Sockets.AddressFamily.InterNetworkV6;
        return address.IsIPv6 == v6 ? _announcer
            : _otherAnnouncer ??= _platform.OpenAnnouncer(v6 ? System.Net.Sockets.AddressFamily.InterNetwork : System.Net.Sockets.AddressFamily.InterNetworkV6);
    }

    public void StateChanged(long now, VrrpState from, VrrpState to, TransitionCause cause, IpAddressValue peer, byte peerPriority)
    {
        if (to == VrrpState.Master)
        {
            Counters.BecameMaster++;
        }
        if (from == VrrpState.Master)
        {
            Counters.ReleasedMaster++;
        }
        if (to != VrrpState.Master)
        {
            _announcements.LeftMaster();
        }
        string reason = DescribeCause(cause, peer, peerPriority);
        if (cause == TransitionCause.MasterDownTimer)
        {
            _log.Info(Name, "Receive advertisement timeout");
        }
        _log.Info(Name, $"Entering {to.ToString().ToUpperInvariant()} STATE ({reason})");
        RecordTransition(from, to, reason);
    }

    private string DescribeCause(TransitionCause cause, IpAddressValue peer, byte peerPriority) => cause switch
    {
        TransitionCause.Startup when Resolved.IsAddressOwner => "startup as address owner (priority 255)",
        TransitionCause.Startup => "startup",
        TransitionCause.Shutdown => "instance stopped",
        TransitionCause.MasterDownTimer => "master down timer expired",
        TransitionCause.HigherPriorityAdvert => WithPriorityReason($"higher priority advert ({peerPriority}) from {peer}"),
        TransitionCause.LowerPriorityAdvert => $"preempting lower priority ({peerPriority}) master {peer}",
        TransitionCause.PriorityZeroReceived => $"master {peer} released (priority 0)",
        TransitionCause.PreemptDelayExpired => $"preempt delay expired, preempting lower priority ({peerPriority}) master {peer}",
        TransitionCause.PriorityChanged => WithPriorityReason($"own priority raised above master {peer} ({peerPriority})"),
        TransitionCause.Fault => FaultReason ?? "fault",
        TransitionCause.FaultCleared => _faultClearedReason ?? "fault cleared",
        TransitionCause.SyncGroup => _syncReason ?? "sync group",
        _ => peer.IsEmpty ? cause.ToString() : $"{cause} ({peer}, priority {peerPriority})",
    };

    /// <summary>Why a tracker put the instance into Fault (set before EnterFault).</summary>
    public string? FaultReason { get; set; }
}
