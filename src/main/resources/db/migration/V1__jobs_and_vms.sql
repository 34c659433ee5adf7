-- Jobs this orchestrator (instance) has accepted, from acceptance to published result.
CREATE TABLE jobs (
    request_id        VARCHAR(36)      NOT NULL PRIMARY KEY,
    instance_id       VARCHAR(128)     NOT NULL,
    label             VARCHAR(128)     NOT NULL,
    image             VARCHAR(128)     NOT NULL,
    request_json      VARCHAR(1048576) NOT NULL,
    state             VARCHAR(16)      NOT NULL,
    attempts          INTEGER          NOT NULL,
    accepted_at       BIGINT           NOT NULL,
    started_at        BIGINT,
    finished_at       BIGINT,
    outcome           VARCHAR(32),
    result_json       VARCHAR(1048576),
    result_published  BOOLEAN          NOT NULL
);
CREATE INDEX jobs_instance_state ON jobs (instance_id, state);

-- The VM of a job's current attempt, recorded before it is created so a crash can't hide it.
CREATE TABLE vms (
    name         VARCHAR(64)   NOT NULL PRIMARY KEY,
    request_id   VARCHAR(36)   NOT NULL,
    instance_id  VARCHAR(128)  NOT NULL,
    backend      VARCHAR(16)   NOT NULL,
    job_dir      VARCHAR(4096) NOT NULL,
    console_log  VARCHAR(4096) NOT NULL,
    state        VARCHAR(16)   NOT NULL,
    created_at   BIGINT        NOT NULL
);
CREATE INDEX vms_instance ON vms (instance_id);
