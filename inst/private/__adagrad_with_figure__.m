## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn {} {} __adagrad_with_figure__ (@var{draw})
## Internal: call @var{draw} (@var{fig}) with an invisible figure of its
## own, then close the figure, also when @var{draw} fails (the reproductions
## @code{adagrad_paper} and @code{adagrad_paper_real} draw into files).
## @end deftypefn

function __adagrad_with_figure__ (draw)
  fig = figure ("visible", "off");
  unwind_protect
    draw (fig);
  unwind_protect_cleanup
    close (fig);
  end_unwind_protect
endfunction

%!test
%! warning ("off", "Octave:gnuplot-graphics");
%! if (isempty (getenv ("DISPLAY")))
%!   graphics_toolkit ("gnuplot");
%! endif
%! before = numel (get (0, "children"));
%! __adagrad_with_figure__ (@(fig) assert (strcmp (get (fig, "visible"), "off")));
%! fail ("__adagrad_with_figure__ (@(fig) error ('drawn'))", "drawn");
%! assert (numel (get (0, "children")), before);
