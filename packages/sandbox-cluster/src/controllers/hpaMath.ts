/** Kubernetes ignores utilisation within 10% of the target (`--horizontal-pod-autoscaler-tolerance`). */
export const HPA_TOLERANCE = 0.1;

/** Inputs of one HPA evaluation. */
export interface HpaInputs {
  currentReplicas: number;
  /** Pods that reported usage (ready, running). */
  readyPods: number;
  /** Average CPU utilisation of those pods, in percent of their request. */
  utilisation: number;
  targetUtilisation: number;
  minReplicas: number;
  maxReplicas: number;
  /** Recommendations made within the downscale stabilisation window. */
  recentRecommendations: number[];
}

/** What the HPA decides, and why, in the words `kubectl describe hpa` shows. */
export interface HpaDecision {
  /** The raw recommendation, before limits and stabilisation. */
  recommendation: number;
  desiredReplicas: number;
  limited?: 'TooFewReplicas' | 'TooManyReplicas';
  stabilized: boolean;
}

/**
 * The HPA algorithm for one resource metric: scale the ready pods by usage over target
 * (unless within tolerance), clamp to min/max, and scale down no lower than the highest
 * recommendation of the stabilisation window.
 */
export function decideReplicas(input: HpaInputs): HpaDecision {
  const ratio = input.utilisation / input.targetUtilisation;
  const recommendation =
    Math.abs(ratio - 1) <= HPA_TOLERANCE
      ? input.currentReplicas
      : Math.ceil(input.readyPods * ratio);
  let desired = recommendation;
  let limited: HpaDecision['limited'];
  if (desired > input.maxReplicas) {
    desired = input.maxReplicas;
    limited = 'TooManyReplicas';
  } else if (desired < input.minReplicas) {
    desired = input.minReplicas;
    limited = 'TooFewReplicas';
  }
  let stabilized = false;
  if (desired < input.currentReplicas) {
    const highest = Math.min(
      input.currentReplicas,
      Math.max(desired, ...input.recentRecommendations),
    );
    stabilized = highest > desired;
    desired = highest;
  }
  return { recommendation, desiredReplicas: desired, limited, stabilized };
}
