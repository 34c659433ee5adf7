--
-- PostgreSQL database dump
--

\restrict qmMd0uo4mClNPqEBoiAzQeX7rfck1YomjzYLo4rpptwdNmQdI00D0n3PI3PdsTg

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: solstice_release_fixture; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA solstice_release_fixture;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: jobs; Type: TABLE; Schema: solstice_release_fixture; Owner: -
--

CREATE TABLE solstice_release_fixture.jobs (
    request_id character varying(36) NOT NULL,
    instance_id character varying(128) NOT NULL,
    label character varying(128) NOT NULL,
    image character varying(128) NOT NULL,
    request_json character varying(1048576) NOT NULL,
    state character varying(16) NOT NULL,
    attempts integer NOT NULL,
    accepted_at bigint NOT NULL,
    started_at bigint,
    finished_at bigint,
    outcome character varying(32),
    result_json character varying(1048576),
    result_published boolean NOT NULL
);


--
-- Name: schema_migrations; Type: TABLE; Schema: solstice_release_fixture; Owner: -
--

CREATE TABLE solstice_release_fixture.schema_migrations (
    version integer NOT NULL,
    script character varying(256) NOT NULL,
    applied_at bigint NOT NULL
);


--
-- Name: vms; Type: TABLE; Schema: solstice_release_fixture; Owner: -
--

CREATE TABLE solstice_release_fixture.vms (
    name character varying(64) NOT NULL,
    request_id character varying(36) NOT NULL,
    instance_id character varying(128) NOT NULL,
    backend character varying(16) NOT NULL,
    job_dir character varying(4096) NOT NULL,
    console_log character varying(4096) NOT NULL,
    state character varying(16) NOT NULL,
    created_at bigint NOT NULL
);


--
-- Data for Name: jobs; Type: TABLE DATA; Schema: solstice_release_fixture; Owner: -
--

INSERT INTO solstice_release_fixture.jobs VALUES ('00000000-0000-4000-8000-000000000001', 'release-host', 'linux', 'linux-image', '{"request_id":"00000000-0000-4000-8000-000000000001","runs_on":"linux"}', 'ACCEPTED', 0, 1790000001000, NULL, NULL, NULL, NULL, false);
INSERT INTO solstice_release_fixture.jobs VALUES ('00000000-0000-4000-8000-000000000002', 'release-host', 'linux', 'linux-image', '{"request_id":"00000000-0000-4000-8000-000000000002","runs_on":"linux"}', 'PROVISIONING', 1, 1790000002000, NULL, NULL, NULL, NULL, false);
INSERT INTO solstice_release_fixture.jobs VALUES ('00000000-0000-4000-8000-000000000003', 'release-host', 'windows', 'windows-image', '{"request_id":"00000000-0000-4000-8000-000000000003","runs_on":"windows"}', 'RUNNING', 1, 1790000003000, 1796665953389, NULL, NULL, NULL, false);
INSERT INTO solstice_release_fixture.jobs VALUES ('00000000-0000-4000-8000-000000000004', 'release-host', 'linux', 'linux-image', '{"request_id":"00000000-0000-4000-8000-000000000004","runs_on":"linux"}', 'FINISHED', 1, 1790000004000, 1796665953415, 1796665953423, 'SUCCESS', '{"request_id":"00000000-0000-4000-8000-000000000004","success":true}', false);
INSERT INTO solstice_release_fixture.jobs VALUES ('00000000-0000-4000-8000-000000000005', 'release-host', 'linux', 'linux-image', '{"request_id":"00000000-0000-4000-8000-000000000005","runs_on":"linux"}', 'FINISHED', 1, 1790000005000, 1796665953455, 1796665953463, 'FAILURE', '{"request_id":"00000000-0000-4000-8000-000000000005","success":false}', true);
INSERT INTO solstice_release_fixture.jobs VALUES ('00000000-0000-4000-8000-000000000006', 'release-host', 'linux', 'linux-image', '{"request_id":"00000000-0000-4000-8000-000000000006","runs_on":"linux"}', 'ACCEPTED', 1, 1790000006000, NULL, NULL, NULL, NULL, false);


--
-- Data for Name: schema_migrations; Type: TABLE DATA; Schema: solstice_release_fixture; Owner: -
--

INSERT INTO solstice_release_fixture.schema_migrations VALUES (1, 'V1__jobs_and_vms.sql', 1796665953316);


--
-- Data for Name: vms; Type: TABLE DATA; Schema: solstice_release_fixture; Owner: -
--

INSERT INTO solstice_release_fixture.vms VALUES ('job-00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000002', 'release-host', 'noop', '/var/lib/solstice/jobs/00000000-0000-4000-8000-000000000002', '/var/lib/solstice/jobs/00000000-0000-4000-8000-000000000002/console.log', 'defined', 1790000100000);
INSERT INTO solstice_release_fixture.vms VALUES ('job-00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000003', 'release-host', 'noop', '/var/lib/solstice/jobs/00000000-0000-4000-8000-000000000003', '/var/lib/solstice/jobs/00000000-0000-4000-8000-000000000003/console.log', 'defined', 1790000100000);


--
-- Name: jobs jobs_pkey; Type: CONSTRAINT; Schema: solstice_release_fixture; Owner: -
--

ALTER TABLE ONLY solstice_release_fixture.jobs
    ADD CONSTRAINT jobs_pkey PRIMARY KEY (request_id);


--
-- Name: schema_migrations schema_migrations_pkey; Type: CONSTRAINT; Schema: solstice_release_fixture; Owner: -
--

ALTER TABLE ONLY solstice_release_fixture.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);


--
-- Name: vms vms_pkey; Type: CONSTRAINT; Schema: solstice_release_fixture; Owner: -
--

ALTER TABLE ONLY solstice_release_fixture.vms
    ADD CONSTRAINT vms_pkey PRIMARY KEY (name);


--
-- Name: jobs_instance_state; Type: INDEX; Schema: solstice_release_fixture; Owner: -
--

CREATE INDEX jobs_instance_state ON solstice_release_fixture.jobs USING btree (instance_id, state);


--
-- Name: vms_instance; Type: INDEX; Schema: solstice_release_fixture; Owner: -
--

CREATE INDEX vms_instance ON solstice_release_fixture.vms USING btree (instance_id);


--
-- PostgreSQL database dump complete
--

\unrestrict qmMd0uo4mClNPqEBoiAzQeX7rfck1YomjzYLo4rpptwdNmQdI00D0n3PI3PdsTg

