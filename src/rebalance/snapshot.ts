// The cluster snapshot as the Docker Engine API (1.41) returns it: GET /nodes, /services, /tasks.
// Only the fields we read are typed; everything is optional because a missing field must not crash
// the planner (readCluster fills in defaults). Extra fields are tolerated and ignored.

export type Labels = Record<string, string> | null;

export interface ApiPlatform {
  Architecture?: string;
  OS?: string;
}

export interface ApiResources {
  NanoCPUs?: number;
  MemoryBytes?: number;
}

export interface ApiPort {
  Protocol?: string;
  TargetPort?: number;
  PublishedPort?: number;
  PublishMode?: string;
}

export interface ApiNode {
  ID: string;
  Version?: { Index?: number };
  Spec?: { Name?: string; Labels?: Labels; Role?: string; Availability?: string };
  Description?: {
    Hostname?: string;
    Platform?: ApiPlatform;
    Resources?: ApiResources;
    Engine?: { EngineVersion?: string; Labels?: Labels };
  };
  Status?: { State?: string; Message?: string; Addr?: string };
  ManagerStatus?: { Leader?: boolean; Reachability?: string; Addr?: string };
}

export interface ApiPlacement {
  Constraints?: string[] | null;
  Preferences?: { Spread?: { SpreadDescriptor?: string } }[] | null;
  MaxReplicas?: number;
  Platforms?: ApiPlatform[] | null;
}

export interface ApiService {
  ID: string;
  Version?: { Index?: number };
  Spec?: {
    Name?: string;
    Labels?: Labels;
    TaskTemplate?: {
      Placement?: ApiPlacement;
      Resources?: { Limits?: ApiResources; Reservations?: ApiResources };
    };
    Mode?: {
      Replicated?: { Replicas?: number };
      Global?: Record<string, unknown>;
      ReplicatedJob?: { MaxConcurrent?: number; TotalCompletions?: number };
      GlobalJob?: Record<string, unknown>;
    };
    EndpointSpec?: { Mode?: string; Ports?: ApiPort[] | null };
  };
  UpdateStatus?: { State?: string; Message?: string };
}

export interface ApiTask {
  ID: string;
  Version?: { Index?: number };
  ServiceID?: string;
  NodeID?: string;
  Slot?: number;
  Spec?: { Resources?: { Limits?: ApiResources; Reservations?: ApiResources } };
  Status?: { State?: string; Message?: string; PortStatus?: { Ports?: ApiPort[] | null } };
  DesiredState?: string;
  CreatedAt?: string;
}

/** GET /nodes, /services and /tasks of one manager, taken together. */
export interface ClusterSnapshot {
  nodes: ApiNode[];
  services: ApiService[];
  tasks: ApiTask[];
}
