// ImageLocality: prefers nodes that already hold the pod's images, weighted by image size and by
// how widely the image is spread (an image on every node says little about this one).
import { MAX_NODE_SCORE, Status, type CycleState, type Plugin } from '../framework.js';
import { normalizedImageName, type NodeInfo, type PodInfo } from '../nodeinfo.js';

export const NAME = 'ImageLocality';

const MB = 1024 * 1024;
const MIN_THRESHOLD = 23 * MB;
const MAX_CONTAINER_THRESHOLD = 1000 * MB;
const PRE_SCORE_KEY = `PreScore${NAME}`;

interface PreScoreState {
  images: string[];
  numContainers: number;
  totalNodes: number;
}

export class ImageLocality implements Plugin {
  readonly name = NAME;

  preScore(state: CycleState, pod: PodInfo, nodes: NodeInfo[], allNodes: NodeInfo[]): Status | undefined {
    // A node holding no images scores 0: when no feasible node holds any, there is nothing to add.
    if (!nodes.some((ni) => ni.imageStates.size > 0)) return Status.SKIP;
    const containers = [...(pod.pod.spec?.initContainers ?? []), ...(pod.pod.spec?.containers ?? [])];
    const images = containers.filter((c) => c.image).map((c) => normalizedImageName(c.image!));
    state.write(PRE_SCORE_KEY, { images, numContainers: containers.length, totalNodes: allNodes.length } satisfies PreScoreState);
    return undefined;
  }

  score(state: CycleState, _pod: PodInfo, nodeInfo: NodeInfo): number {
    const s = state.read<PreScoreState>(PRE_SCORE_KEY);
    if (!s || s.numContainers === 0) return 0;
    let sum = 0;
    if (nodeInfo.imageStates.size > 0) {
      for (const image of s.images) {
        const st = nodeInfo.imageStates.get(image);
        if (st) sum += Math.trunc((st.size * st.numNodes) / s.totalNodes);
      }
    }
    const maxThreshold = MAX_CONTAINER_THRESHOLD * s.numContainers;
    sum = Math.min(Math.max(sum, MIN_THRESHOLD), maxThreshold);
    return Math.trunc((MAX_NODE_SCORE * (sum - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD));
  }
}
