## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {@var{fmt} =} __adagrad_axes__ (@var{fname}, "check", @var{file})
## @deftypefnx {} {@var{ax} =} __adagrad_axes__ (@var{fname}, "axes", @var{parent}, @var{nax})
## @deftypefnx {} {@var{hleg} =} __adagrad_axes__ (@var{fname}, "legend", @var{ax}, @var{lines}, @var{labels}, @var{location})
## @deftypefnx {} {} __adagrad_axes__ (@var{fname}, "save", @var{ax}, @var{file})
## Internal: the figure plumbing of the plot helpers.  @qcode{"check"}
## validates an output file name (.png, .svg or .pdf) and returns the
## @code{print} device.  @qcode{"axes"} validates @var{parent} (a figure or
## uipanel; empty: the current figure), clears it and stacks @var{nax} axes in
## it, top to bottom.  @qcode{"legend"} labels @var{lines} in @var{ax} with
## the labels taken literally (no TeX) in the helpers' small font.
## @qcode{"save"} prints the figure of @var{ax} to
## @var{file} when @var{file} is not empty.
## @end deftypefn

function out = __adagrad_axes__ (fname, what, varargin)
  out = [];
  switch (what)
    case "check"
      out = device (fname, varargin{1});
    case "axes"
      [parent, nax] = deal (varargin{:});
      if (isempty (parent))
        parent = gcf ();
      elseif (! (isscalar (parent) && ishghandle (parent)
                 && any (strcmp (get (parent, "type"), {"figure", "uipanel"}))))
        error ("adagrad:badinput", "%s: PARENT must be a figure or uipanel handle",
               fname);
      endif
      delete (get (parent, "children"));
      ## Room between stacked axes for tick labels and the next title.
      gap = 0.1 + 0.03 * (nax > 2);
      height = (0.78 - gap * (nax - 1)) / nax;
      out = zeros (1, nax);
      for k = 1:nax
        bottom = 0.12 + (nax - k) * (height + gap);
        out(k) = axes ("parent", parent, "position", [0.14 bottom 0.8 height]);
      endfor
      set (out, "nextplot", "add", "box", "on", "fontsize", 9);
    case "legend"
      [ax, lines, labels, location] = deal (varargin{:});
      out = legend (ax, lines, labels, "location", location);
      set (out, "interpreter", "none", "fontsize", 8);
    case "save"
      [ax, file] = deal (varargin{:});
      if (! isempty (file))
        try
          print (ancestor (ax(1), "figure"), device (fname, file), "-S900,720", file);
        catch err
          error ("adagrad:plotfile", "%s: cannot write %s: %s", fname, file, err.message);
        end_try_catch
      endif
  endswitch
endfunction

function fmt = device (fname, file)
  fmt = "";
  if (isempty (file))
    return;
  endif
  if (! ischar (file) || ! isrow (file))
    error ("adagrad:badinput", "%s: FILE must be a file name", fname);
  endif
  [~, ~, ext] = fileparts (file);
  switch (lower (ext))
    case ".png"
      fmt = "-dpngcairo";
    case ".svg"
      fmt = "-dsvg";
    case ".pdf"
      fmt = "-dpdfcairo";
    otherwise
      error ("adagrad:badinput",
             "%s: FILE must end in .png, .svg or .pdf (got \"%s\")", fname, file);
  endswitch
endfunction

%!test
%! assert (__adagrad_axes__ ("f", "check", "a.PNG"), "-dpngcairo");
%! assert (__adagrad_axes__ ("f", "check", "a.svg"), "-dsvg");
%! assert (__adagrad_axes__ ("f", "check", ""), "");

%!test
%! warning ("off", "Octave:gnuplot-graphics");
%! if (isempty (getenv ("DISPLAY")))
%!   graphics_toolkit ("gnuplot");
%! endif
%! fig = figure ("visible", "off");
%! unwind_protect
%!   ax = __adagrad_axes__ ("f", "axes", fig, 3);
%!   assert (numel (ax), 3);
%!   pos = cell2mat (get (ax, "position"));
%!   assert (all (diff (pos(:, 2)) < 0));
%!   ax = __adagrad_axes__ ("f", "axes", fig, 2);
%!   assert (numel (get (fig, "children")), 2);
%!   hl = plot (ax(1), 1:3, 1:3);
%!   hleg = __adagrad_axes__ ("f", "legend", ax(1), hl, {"a_b"}, "southeast");
%!   assert (get (hleg, "string"), {"a_b"});
%!   assert (get (hleg, "interpreter"), "none");
%! unwind_protect_cleanup
%!   close (fig);
%! end_unwind_protect

%!error <f: cannot write /nonexistent-dir/a.png> __adagrad_axes__ ("f", "save", axes ("parent", figure ("visible", "off")), "/nonexistent-dir/a.png")
%!error <f: FILE must end in .png, .svg or .pdf> __adagrad_axes__ ("f", "check", "x.jpg")
%!error <f: FILE must be a file name> __adagrad_axes__ ("f", "check", 3)
%!error <f: PARENT must be a figure or uipanel handle> __adagrad_axes__ ("f", "axes", -1, 2)
