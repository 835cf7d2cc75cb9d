// The default profile: upstream's plugin set, filter order and score weights.
import type { Handle, PluginConfig } from '../framework.js';
import { NodeResourcesBalancedAllocation } from './balancedallocation.js';
import { DefaultBinder } from './defaultbinder.js';
import { DefaultPreemption, type DefaultPreemptionArgs } from './defaultpreemption.js';
import { ImageLocality } from './imagelocality.js';
import { InterPodAffinity, type InterPodAffinityArgs } from './interpodaffinity.js';
import { NodeAffinity } from './nodeaffinity.js';
import { NodeName } from './nodename.js';
import { NodePorts } from './nodeports.js';
import { NodeResourcesFit, type NodeResourcesFitArgs } from './noderesourcesfit.js';
import { NodeUnschedulable } from './nodeunschedulable.js';
import { PodTopologySpread, type PodTopologySpreadArgs } from './podtopologyspread.js';
import { SchedulingGates } from './schedulinggates.js';
import { TaintToleration } from './tainttoleration.js';
import { VolumeBinding, type VolumeBindingArgs } from './volumebinding.js';
import { VolumeRestrictions } from './volumerestrictions.js';

export interface PluginArgs {
  nodeResourcesFit?: NodeResourcesFitArgs;
  interPodAffinity?: InterPodAffinityArgs;
  podTopologySpread?: PodTopologySpreadArgs;
  volumeBinding?: VolumeBindingArgs;
  defaultPreemption?: DefaultPreemptionArgs;
}

/** getDefaultPlugins: in upstream's order (which is the Filter order), with its Score weights. */
export function defaultPlugins(handle: Handle, args: PluginArgs = {}): PluginConfig[] {
  return [
    { plugin: new SchedulingGates() },
    { plugin: new NodeUnschedulable() },
    { plugin: new NodeName() },
    { plugin: new TaintToleration(), weight: 3 },
    { plugin: new NodeAffinity(), weight: 2 },
    { plugin: new NodePorts() },
    { plugin: new NodeResourcesFit(args.nodeResourcesFit), weight: 1 },
    { plugin: new VolumeRestrictions(handle) },
    { plugin: new VolumeBinding(handle, args.volumeBinding) },
    { plugin: new PodTopologySpread(handle, args.podTopologySpread), weight: 2 },
    { plugin: new InterPodAffinity(handle, args.interPodAffinity), weight: 2 },
    { plugin: new DefaultPreemption(handle, args.defaultPreemption) },
    { plugin: new NodeResourcesBalancedAllocation(), weight: 1 },
    { plugin: new ImageLocality(), weight: 1 },
    { plugin: new DefaultBinder(handle) },
  ];
}

export {
  DefaultBinder,
  DefaultPreemption,
  ImageLocality,
  InterPodAffinity,
  NodeAffinity,
  NodeName,
  NodePorts,
  NodeResourcesBalancedAllocation,
  NodeResourcesFit,
  NodeUnschedulable,
  PodTopologySpread,
  SchedulingGates,
  TaintToleration,
  VolumeBinding,
  VolumeRestrictions,
};
